"""The interpreter kit's core: phrasebook and glossary model, loader, lookup, transcription.

Plain data and functions only; cards, audio and the phone page live in ``meari.produce`` and
``meari.commands`` and call these.
"""
