"""The message editor's form: the message file's keys as fields, to and from the YAML format.

The YAML file stays the import/export format (and what a version stores); the form edits the keys a
writer touches and keeps the others (template, size, serials, voice...) from the version it started
from, so a save never drops a setting the form does not show.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from meari.errors import MeariError
from meari.message import Message, parse_message

MAX_TEXT = 20_000  # characters of message text; a leaflet holds a few hundred, a broadcast a few thousand


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict) -> str:
    """A message dict as YAML: keys in the model's order, multi-line text as ``|`` blocks, Korean unescaped."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def message_dict(message: Message) -> dict:
    """The message as the YAML file would hold it (defaults dropped where the file would not say them)."""
    return message.model_dump(mode="json", exclude_none=True)


def _lines(value: str) -> list[str]:
    return [ln.strip() for ln in (value or "").splitlines() if ln.strip()]


class MessageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    sponsor = forms.CharField(label=_("Sponsor (who the product is attributed to)"), max_length=300, required=False)
    audience = forms.CharField(label=_("Audience"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("leaflet", _("leaflet")),
                                                             ("loudspeaker", _("loudspeaker")),
                                                             ("interpreter", _("interpreter"))])
    language = forms.ChoiceField(label=_("Read in"), choices=[("nk", _("North Korean standard")),
                                                              ("sk", _("South Korean standard"))])
    drafted_in = forms.ChoiceField(label=_("Drafted in"), choices=[("sk", _("South Korean standard")),
                                                                   ("nk", _("North Korean standard"))])
    text = forms.CharField(label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 10}),
                           strip=False)
    headline = forms.CharField(label=_("Leaflet headline"), max_length=200, required=False)
    steps = forms.CharField(label=_("Leaflet steps (one per line)"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    guarantees = forms.CharField(label=_("Guarantees approved by the sponsor (one per line)"), required=False,
                                 max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    syllables_per_s = forms.FloatField(label=_("Speaking rate (syllables/s)"), min_value=1.5, max_value=10,
                                       initial=4.0, required=False)
    repeats = forms.IntegerField(label=_("Repeats per loop"), min_value=1, max_value=50, initial=3, required=False)
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, message: Message, title: str = "") -> dict[str, Any]:
        return {
            "title": title, "sponsor": message.sponsor or "", "audience": message.audience,
            "channel": message.channel, "language": message.language, "drafted_in": message.source_language,
            "text": message.text, "headline": message.leaflet.headline or "",
            "steps": "\n".join(message.leaflet.steps or []), "guarantees": "\n".join(message.guarantees),
            "syllables_per_s": message.broadcast.syllables_per_s, "repeats": message.broadcast.repeats,
        }

    def to_message(self, base: Message | None = None) -> Message:
        """The validated Message (MeariError naming the field when the message model refuses it)."""
        c = self.cleaned_data
        data = message_dict(base) if base is not None else {}
        nfc = lambda s: unicodedata.normalize("NFC", s or "")  # noqa: E731
        data.update({
            "sponsor": nfc(c.get("sponsor")).strip() or None,
            "audience": nfc(c.get("audience")).strip() or "북한군 병사",
            "channel": c["channel"], "language": c["language"], "drafted_in": c["drafted_in"],
            "text": nfc(c["text"]).replace("\r\n", "\n").strip("\n"),
            "guarantees": [nfc(x) for x in _lines(c.get("guarantees", ""))],
        })
        leaflet = dict(data.get("leaflet") or {})
        leaflet["headline"] = nfc(c.get("headline")).strip() or None
        leaflet["steps"] = [nfc(x) for x in _lines(c.get("steps", ""))] or None
        data["leaflet"] = {k: v for k, v in leaflet.items() if v is not None}
        broadcast = dict(data.get("broadcast") or {})
        if c.get("syllables_per_s"):
            broadcast["syllables_per_s"] = c["syllables_per_s"]
        if c.get("repeats"):
            broadcast["repeats"] = c["repeats"]
        data["broadcast"] = broadcast
        if data.get("sponsor") is None:
            data.pop("sponsor", None)
        try:
            return Message.model_validate(data)
        except Exception as e:  # pydantic ValidationError: name the field like the YAML loader does
            errs = getattr(e, "errors", None)
            if callable(errs):
                err = errs()[0]
                where = ".".join(str(x) for x in err["loc"]) or "message"
                raise MeariError(err["msg"], where) from None
            raise


def parse_yaml(text: str, where: str = "message.yaml") -> Message:
    """A message from YAML text (upload or version), with the loader's line-numbered errors."""
    return parse_message(unicodedata.normalize("NFC", text), where)
