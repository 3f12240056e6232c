"""The crisis resources a member is shown when a comment sounds like they may be in crisis:
lines that reach them in their language, where they may live. Only numbers known for certain
belong here; findahelpline.com covers every other country."""

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

EMERGENCY = _l("If you are in immediate danger, call your local emergency number.")
ELSEWHERE = _l("Elsewhere: findahelpline.com lists free, confidential lines by country.")

# Each language's readers get the lines that serve the countries where it is spoken.
SITE_RESOURCES = {
    "en": [
        EMERGENCY,
        _l("US: call or text 988 (Suicide & Crisis Lifeline)."),
        _l("UK and Ireland: call Samaritans on 116 123."),
        ELSEWHERE,
    ],
    "es": [
        _l(
            "If you are in immediate danger, call your local emergency number "
            "(112 in Spain and the rest of the EU, 911 in Mexico and the US)."
        ),
        _l("Spain: call 024, the suicidal-behaviour line, free and open day and night."),
        _l("Mexico: call Línea de la Vida on 800 911 2000, free and open day and night."),
        _l("US: call 988 (Suicide & Crisis Lifeline) and press 2 to speak Spanish."),
        ELSEWHERE,
    ],
}


def crisis_resources(language: str) -> list[str]:
    """The lines shown to a reader of this language: the deployment's own if it set them."""
    config = current_app.config
    own = config.get("CRISIS_RESOURCES_BY_LANGUAGE", {}).get(language)
    if own:
        return list(own)
    if config.get("CRISIS_RESOURCES"):
        return [gettext(line) for line in config["CRISIS_RESOURCES"]]
    return [str(line) for line in SITE_RESOURCES.get(language, SITE_RESOURCES["en"])]
