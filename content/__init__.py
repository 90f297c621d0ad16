"""The assistant's content files, each read and checked in exactly one place.

    services.yml  registry.load_registry    every service the assistant names
    schools.yml   schools.load_schools      the schools that embed the widget
    domain.yml    domain.load_domain        intents, slots, forms and every response
    data/         training                  example messages, rules and stories
    all of them   version.content_version   the version a reviewer signs off

PyYAML and the standard library only, so both virtual environments use it: the action
server (actions/), the web app (web/) and the content audit (audit/). A file that cannot be
used raises ContentError naming the file and what is wrong, when it is loaded: at start-up,
not in front of a pupil.
"""
