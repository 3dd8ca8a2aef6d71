"""The interpreter kit's products: pocket cards (PDF/PNG), one audio file per phrase, the phone page.

The phrasebook itself (model, lookup, transcription) is ``meari.phrase``; this package only
renders it. Each renderer is a function over a loaded :class:`meari.phrase.model.Phrasebook`.
"""
