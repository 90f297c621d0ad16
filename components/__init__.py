"""Rasa graph components for this assistant (config.yml's pipeline). Rasa imports this package
when it loads the model, so the event lookup speed-up is installed here, in every mode."""
from components import event_lookup

event_lookup.install()
