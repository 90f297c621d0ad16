"""The reviewer area's forms. Flask-WTF puts a CSRF token in each and checks it on submit."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    name = StringField("Reviewer name", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class SandboxForm(FlaskForm):
    message = TextAreaField("Message, as a pupil might type it", validators=[DataRequired(), Length(max=1000)])


class ButtonForm(FlaskForm):
    """A form that is only a button (log out, start the sandbox again): still CSRF-protected."""


class SignoffForm(FlaskForm):
    content_hash = HiddenField(validators=[DataRequired()])
    read_everything = BooleanField("I have read every flow and every response in this version, and the checks pass.",
                                   validators=[DataRequired()])
    comment = TextAreaField("Comment (what you checked, anything to follow up)",
                            validators=[DataRequired(), Length(min=3, max=2000)])
