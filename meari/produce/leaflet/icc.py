"""An output intent from the print shop's ICC profile (``--icc FILE``), written PDF/X-4 style.

Why: a CMYK number means a colour only on a given press and paper. When the shop hands over its
characterisation profile (e.g. FOGRA39 or GRACoL for coated offset), embedding it as the PDF's
``/OutputIntents`` entry (``/S /GTS_PDFX``, ``/DestOutputProfile`` = the profile,
``/OutputConditionIdentifier``) tells preflight and the RIP which condition the CMYK values were
chosen for, so they are printed as they are instead of being converted again. meari does not
claim full PDF/X-4 conformance (no XMP packet, no /GTS_PDFXVersion): the intent is there for the
shop's preflight to use.

The file is checked before anything is written: an ICC profile has the signature ``acsp`` at
byte 36 (ICC.1:2022, 7.2.10) and its data colour space at byte 16; an output intent for a CMYK
leaflet needs ``CMYK`` there.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from meari.errors import MeariError

MAX_ICC_BYTES = 64 * 1024 * 1024  # press profiles are 0.5-5 MB; anything far larger is not one
DEVICE_CLASSES = {b"prtr": "output", b"mntr": "display", b"scnr": "input", b"spac": "colour space",
                  b"link": "device link", b"abst": "abstract", b"nmcl": "named colour"}


@dataclass(frozen=True)
class OutputIntent:
    """A validated CMYK ICC profile and the names to write with it."""

    data: bytes
    identifier: str  # /OutputConditionIdentifier: the profile's description, else the file stem
    info: str  # /Info: a human-readable description
    path: str


def _description(data: bytes) -> str | None:
    """The profile's ``desc`` tag text (ICC v2 textDescriptionType or v4 multiLocalizedUnicode)."""
    try:
        (count,) = struct.unpack_from(">I", data, 128)
        for i in range(min(count, 1000)):
            sig, off, size = struct.unpack_from(">4sII", data, 132 + 12 * i)
            if sig != b"desc" or off + size > len(data):
                continue
            tag = data[off:off + size]
            if tag[:4] == b"desc":
                (n,) = struct.unpack_from(">I", tag, 8)
                return tag[12:12 + n].split(b"\0", 1)[0].decode("latin-1").strip() or None
            if tag[:4] == b"mluc":
                nrec, rsize = struct.unpack_from(">II", tag, 8)
                if nrec:
                    ln, loff = struct.unpack_from(">II", tag, 16 + 4)
                    return tag[loff:loff + ln].decode("utf-16-be", "replace").strip("\0 ") or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None


def load_icc(path: str | Path) -> OutputIntent:
    """Read and check an ICC profile for use as a CMYK output intent. MeariError names what is wrong."""
    p = Path(path)
    where = str(p)
    try:
        if p.is_dir():
            raise MeariError("is a directory, not an ICC profile", where)
        size = p.stat().st_size
        if size > MAX_ICC_BYTES:
            raise MeariError(f"is {size / 2**20:.0f} MB; meari takes an ICC profile of at most "
                             f"{MAX_ICC_BYTES // 2**20} MB (press profiles are 0.5-5 MB)", where)
        data = p.read_bytes()
    except FileNotFoundError:
        raise MeariError("ICC profile not found", where) from None
    except PermissionError:
        raise MeariError("cannot read ICC profile: permission denied", where) from None
    except OSError as e:
        raise MeariError(f"cannot read ICC profile: {e.strerror or e}", where) from None
    if len(data) < 132 or data[36:40] != b"acsp":
        raise MeariError("not an ICC profile (no 'acsp' signature at byte 36); give the press profile the "
                         "print shop supplies (.icc or .icm)", where)
    (declared,) = struct.unpack_from(">I", data, 0)
    if declared > len(data) or declared < 132:
        raise MeariError(f"ICC profile is truncated or damaged: header says {declared} bytes, file has {len(data)}",
                         where)
    space = data[16:20]
    if space != b"CMYK":
        shown = space.decode("latin-1").strip() or "?"
        raise MeariError(f"ICC profile is for {shown!r} data, not CMYK; a leaflet output intent needs the press's "
                         "CMYK profile", where)
    cls = data[12:16]
    if cls not in (b"prtr", b"scnr", b"spac"):  # a CMYK output profile; device links etc. cannot be intents
        kind = DEVICE_CLASSES.get(cls, cls.decode("latin-1"))
        raise MeariError(f"ICC profile is a {kind} profile, not an output (printer) profile", where)
    desc = _description(data)
    ident = desc or p.stem
    return OutputIntent(data[:declared], ident, desc or f"CMYK output condition from {p.name}", where)


def add_output_intent(canvas, intent: OutputIntent) -> None:
    """Put ``/OutputIntents [<< /S /GTS_PDFX ... /DestOutputProfile stream >>]`` in the catalog."""
    from reportlab.pdfbase import pdfdoc

    doc = canvas._doc
    stream = pdfdoc.PDFStream(dictionary=pdfdoc.PDFDictionary({"N": 4}), content=intent.data,
                              filters=[pdfdoc.PDFZCompress])
    ref = doc.Reference(stream, "MeariOutputProfile")
    oi = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(intent.identifier),
        "OutputCondition": pdfdoc.PDFString(intent.info),
        "Info": pdfdoc.PDFString(intent.info),
        "RegistryName": pdfdoc.PDFString("http://www.color.org"),
        "DestOutputProfile": ref,
    })
    cat = doc.Catalog
    # reportlab's catalog writes only the keys it lists; OutputIntents is not one of them.
    cat.__NoDefault__ = [*type(cat).__NoDefault__, "OutputIntents"]
    cat.OutputIntents = pdfdoc.PDFArray([oi])
