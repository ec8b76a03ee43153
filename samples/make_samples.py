#!/usr/bin/env python3
"""Make sample book-page scans with ground truth for ocrfix.

The pages are set from the book's own text (the Introduction to Chapter 1 of
*The Serge-Trotsky Papers*) like a printed octavo page -- running head, folio,
justified serif body with line-end hyphenation and paragraph indents -- and then
degraded like real scans (skew, blur, noise, uneven light, show-through, stamps,
JPEG, low resolution, wrong orientation, missing DPI).

Everything is computed in memory by plain functions; only ``main`` writes files:

    book = set_book(load_paragraphs(seed_path))   # text -> lines -> pages
    page = make_page(book, spec, seed=1994)       # -> PageImage (pixels + truth)

Usage (from the repo root)::

    python samples/make_samples.py --seed-text ../shared/seed/serge-trotsky-papers.md --out samples

Needs: numpy, pillow, opencv-python-headless, pyphen; fonts-liberation.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pyphen
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEED_TEXT = REPO / ".." / "shared" / "seed" / "serge-trotsky-papers.md"
FONT_DIR = Path("/usr/share/fonts/truetype/liberation")

BOOK_TITLE = "THE SERGE\u2013TROTSKY PAPERS"
CHAPTER_HEADING = r"^#\s+1\s+(.+?)\s*$"  # '# 1 Victor Serge and Bolshevism'
CHAPTER_END = r"^#+\s+THE DOCUMENTS"

SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
UNSUPERSCRIPT = {chr(v): chr(k) for k, v in SUPERSCRIPT.items()}


# --------------------------------------------------------------------------- text

@dataclass
class Paragraph:
    """Text as printed (NFC, curly quotes, superscript footnote digits) and one
    style code per character: 'r' roman, 'i' italic, 's' superscript."""
    text: str
    styles: str


def _parse_inline(md: str) -> Paragraph:
    """Markdown paragraph -> printed text + styles (``*em*`` -> italic,
    ``<sup>N</sup>`` -> superscript digits, ``**`` dropped)."""
    md = md.replace("**", "")
    chars: list[str] = []
    styles: list[str] = []
    italic = False
    pos = 0
    for m in re.finditer(r"<sup>(\d+)</sup>|\*", md):
        for ch in md[pos:m.start()]:
            chars.append(ch)
            styles.append("i" if italic else "r")
        if m.group(0) == "*":
            italic = not italic
        else:
            for ch in m.group(1).translate(SUPERSCRIPT):
                chars.append(ch)
                styles.append("s")
        pos = m.end()
    for ch in md[pos:]:
        chars.append(ch)
        styles.append("i" if italic else "r")
    # collapse whitespace, keeping styles aligned
    out_c: list[str] = []
    out_s: list[str] = []
    for ch, st in zip(chars, styles):
        if ch.isspace():
            if out_c and out_c[-1] != " ":
                out_c.append(" ")
                out_s.append("r")
            continue
        out_c.append(ch)
        out_s.append(st)
    while out_c and out_c[-1] == " ":
        out_c.pop()
        out_s.pop()
    # typographic quotes, as a book prints them
    for i, ch in enumerate(out_c):
        if ch in "'\"":
            prev = out_c[i - 1] if i else " "
            opening = prev.isspace() or prev in "([{\u2018\u201c\u2013\u2014/"
            if ch == "'":
                out_c[i] = "\u2018" if opening else "\u2019"
            else:
                out_c[i] = "\u201c" if opening else "\u201d"
    text = "".join(out_c)
    # NFC composition could change the length (styles are per char); the seed is precomposed
    nfc = unicodedata.normalize("NFC", text)
    if len(nfc) != len(text):
        raise ValueError("seed text is not NFC-composable char for char")
    return Paragraph(nfc, "".join(out_s))


def _is_stamp_junk(block: str) -> bool:
    """Short all-capital fragments (the seed's rubber-stamp OCR noise)."""
    letters = [c for c in block if c.isalpha()]
    return len(block) < 40 and bool(letters) and not any(c.islower() for c in letters)


def load_paragraphs(seed_path: Path | str, markdown: str | None = None) -> tuple[str, list[Paragraph]]:
    """Return (chapter title, body paragraphs) of Chapter 1's introduction.

    Headings, rules and stamp junk are skipped; paragraphs that the first OCR pass
    split at a page break (``...Representa-`` / ``tion through...``) are joined."""
    md = markdown if markdown is not None else Path(seed_path).read_text(encoding="utf-8")
    lines = md.splitlines()
    start = next(i for i, l in enumerate(lines) if re.match(CHAPTER_HEADING, l))
    chapter_title = re.match(CHAPTER_HEADING, lines[start]).group(1)
    blocks: list[str] = []
    cur: list[str] = []
    for line in lines[start + 1:]:
        if re.match(CHAPTER_END, line):
            break
        s = line.strip()
        if not s or s.startswith("#") or set(s) <= set("-_*"):
            if cur:
                blocks.append(" ".join(cur))
                cur = []
            continue
        cur.append(s)
    if cur:
        blocks.append(" ".join(cur))
    blocks = [b for b in blocks if not _is_stamp_junk(b)]
    joined: list[str] = []
    for b in blocks:
        if joined and b[:1].islower():
            prev = joined[-1]
            if re.search(r"[A-Za-z]-$", prev):      # Representa- / tion
                joined[-1] = prev[:-1] + b
                continue
            if not re.search(r"[.!?:'\"\u2019\u201d)\]]$|</sup>$", prev):  # their / programme
                joined[-1] = prev + " " + b
                continue
        joined.append(b)
    return chapter_title, [_parse_inline(b) for b in joined]


# --------------------------------------------------------------------------- fonts

@lru_cache(maxsize=None)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), px)


@dataclass(frozen=True)
class Typeface:
    """Body type in points; fonts are made at a given rendering resolution."""
    size_pt: float = 11.0
    leading_pt: float = 13.5
    sup_scale: float = 0.62
    sup_rise: float = 0.36  # of the body size

    def fonts(self, dpi: int):
        px = round(self.size_pt * dpi / 72)
        return {
            "r": font("LiberationSerif-Regular.ttf", px),
            "i": font("LiberationSerif-Italic.ttf", px),
            "s": font("LiberationSerif-Regular.ttf", round(px * self.sup_scale)),
        }


def run_width(text: str, styles: str, fonts) -> float:
    """Advance width of a styled string (per style run)."""
    w = 0.0
    for t, s in _runs(text, styles):
        w += fonts[s].getlength(_printable(t, s))
    return w


def _runs(text: str, styles: str):
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and styles[j] == styles[i]:
            j += 1
        yield text[i:j], styles[i]
        i = j


def _printable(t: str, style: str) -> str:
    return "".join(UNSUPERSCRIPT.get(c, c) for c in t) if style == "s" else t


# --------------------------------------------------------------------------- setting

@dataclass
class Line:
    para: int
    start: int        # char offsets of the line in its paragraph's text
    end: int
    words: list[tuple[int, int]]  # word spans in paragraph text (last may be a fragment)
    hyphen: bool      # a hyphen was inserted at the end (word broken by us)
    indent: bool      # first line of a paragraph
    last: bool        # last line of a paragraph (set ragged, not justified)

    def text(self, paras: list[Paragraph]) -> str:
        t = " ".join(paras[self.para].text[a:b] for a, b in self.words)
        return t + "-" if self.hyphen else t


@dataclass
class Geometry:
    """Page and text block in points (Pluto octavo, about 5.5 x 8.5 in)."""
    width_pt: float = 396.0
    height_pt: float = 612.0
    inner_pt: float = 56.0
    outer_pt: float = 50.0
    head_baseline_pt: float = 54.0
    body_top_baseline_pt: float = 80.0
    lines_per_page: int = 34
    indent_pt: float = 15.0
    opening_lines: int = 20        # body lines on the chapter's opening page

    @property
    def measure_pt(self) -> float:
        return self.width_pt - self.inner_pt - self.outer_pt


@dataclass
class Book:
    chapter_title: str
    paras: list[Paragraph]
    lines: list[Line]
    pages: dict[int, list[Line]]   # book page number -> body lines
    geometry: Geometry
    type: Typeface


def _tokens(p: Paragraph) -> list[tuple[int, int]]:
    """Word spans; a free-standing dash is kept with the word before it."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", p.text)]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and p.text[a:b] in ("\u2013", "\u2014"):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


_HYPH = pyphen.Pyphen(lang="en_GB", left=2, right=3)


def _break_points(word: str) -> list[tuple[int, bool]]:
    """Offsets where ``word`` may break, longest first: (offset, insert_hyphen)."""
    if " " in word:
        return []
    if "-" in word[1:-1]:  # break only after an existing hyphen
        return sorted(((m.end(), False) for m in re.finditer(r"(?<=\w)-(?=\w)", word)), reverse=True)
    m = re.match(r"^([^\w]*)(\w+)([^\w]*)$", word)
    if not m or len(m.group(2)) < 6 or not m.group(2).isalpha():
        return []
    lead = len(m.group(1))
    return [(lead + len(a), True) for a, _b in _HYPH.iterate(m.group(2))]


def set_lines(paras: list[Paragraph], typ: Typeface, geo: Geometry, dpi: int = 600) -> list[Line]:
    """Greedy justified line breaking with hyphenation (measure in points)."""
    fonts = typ.fonts(dpi)
    k = dpi / 72
    measure = geo.measure_pt * k
    space = fonts["r"].getlength(" ")
    hyphen_w = fonts["r"].getlength("-")
    lines: list[Line] = []
    for pi, p in enumerate(paras):
        toks = _tokens(p)
        widths = {t: run_width(p.text[t[0]:t[1]], p.styles[t[0]:t[1]], fonts) for t in toks}

        def w(span):
            if span not in widths:
                widths[span] = run_width(p.text[span[0]:span[1]], p.styles[span[0]:span[1]], fonts)
            return widths[span]

        queue = list(toks)
        first = True
        consecutive_hyphens = 0
        while queue:
            avail = measure - (geo.indent_pt * k if first else 0)
            cur: list[tuple[int, int]] = []
            natural = 0.0
            hyphen = False
            while queue:
                tok = queue[0]
                add = w(tok) + (space if cur else 0)
                gaps = len(cur)
                if natural + add <= avail or (cur and natural + add - 0.2 * space * gaps <= avail):
                    cur.append(tok)
                    natural += add
                    queue.pop(0)
                    continue
                # the word does not fit: hyphenate when the line would be loose
                loose = (avail - natural) / (space * max(len(cur) - 1, 1))
                if consecutive_hyphens < 2 and (loose > 0.45 or not cur):
                    word = p.text[tok[0]:tok[1]]
                    for off, ins in _break_points(word):
                        head = (tok[0], tok[0] + off)
                        extra = (space if cur else 0) + w(head) + (hyphen_w if ins else 0)
                        if natural + extra - 0.15 * space * len(cur) <= avail:
                            cur.append(head)
                            queue[0] = (tok[0] + off, tok[1])
                            hyphen = ins
                            break
                if not cur:  # a single word wider than the measure: force it
                    cur.append(queue.pop(0))
                break
            broke_word = bool(queue) and cur[-1][1] == queue[0][0]
            consecutive_hyphens = consecutive_hyphens + 1 if broke_word else 0
            lines.append(Line(pi, cur[0][0], cur[-1][1], cur, hyphen, first, not queue))
            first = False
    return lines


def paginate(lines: list[Line], geo: Geometry, opening_lines: int) -> dict[int, list[Line]]:
    pages: dict[int, list[Line]] = {1: lines[:opening_lines]}
    i, n = opening_lines, 2
    while i < len(lines):
        pages[n] = lines[i:i + geo.lines_per_page]
        i += geo.lines_per_page
        n += 1
    return pages


def set_book(chapter_title: str, paras: list[Paragraph], *, typ: Typeface | None = None,
             geo: Geometry | None = None, want_hyphen_at_end_of: tuple[int, ...] = ()) -> Book:
    """Set the text and cut it into pages.  The opening page's line count is
    chosen (deterministically, 16-24 lines) so that one of the pages in
    ``want_hyphen_at_end_of`` ends with a broken word continued overleaf."""
    typ = typ or Typeface()
    geo = geo or Geometry()
    lines = set_lines(paras, typ, geo)
    opening = geo.opening_lines
    if want_hyphen_at_end_of:
        for cand in [geo.opening_lines] + [x for x in range(16, 25) if x != geo.opening_lines]:
            pages = paginate(lines, geo, cand)
            if any(p in pages and p + 1 in pages and pages[p] and _ends_broken(pages[p][-1], pages[p + 1])
                   for p in want_hyphen_at_end_of):
                opening = cand
                break
    return Book(chapter_title, paras, lines, paginate(lines, geo, opening), geo, typ)


def _ends_broken(last: Line, next_page: list[Line]) -> bool:
    return bool(last.hyphen and next_page and next_page[0].para == last.para)


# --------------------------------------------------------------------------- truth

def head_text(book: Book, page_no: int) -> str | None:
    if page_no == 1:
        return None
    return f"{page_no} {BOOK_TITLE}" if page_no % 2 == 0 else f"{book.chapter_title} {page_no}"


def page_lines_text(book: Book, page_no: int) -> list[str]:
    """The page as printed, line for line (running head with folio, body)."""
    out = []
    h = head_text(book, page_no)
    if h:
        out.append(h)
    out += [l.text(book.paras) for l in book.pages[page_no]]
    return out


def page_reading_text(book: Book, page_no: int) -> str:
    """Body only, hyphenation joined within the page, one paragraph per line."""
    lines = book.pages[page_no]
    paras: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1].para == lines[i].para:
            j += 1
        t = book.paras[lines[i].para].text[lines[i].start:lines[j].end]
        if lines[j].hyphen:
            t += "-"
        paras.append(t.strip())
        i = j + 1
    return "\n".join(paras) + "\n"


# --------------------------------------------------------------------------- rendering

def render_ink(book: Book, page_no: int, dpi: int) -> np.ndarray:
    """Ink coverage (float32, 0 paper .. 1 ink) of a clean upright page."""
    g, typ = book.geometry, book.type
    k = dpi / 72
    W, H = round(g.width_pt * k), round(g.height_pt * k)
    img = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(img)
    fonts = typ.fonts(dpi)
    recto = page_no % 2 == 1
    left = (g.inner_pt if recto else g.outer_pt) * k
    measure = g.measure_pt * k
    space = fonts["r"].getlength(" ")

    def draw_styled(x, y, text, styles):
        for t, s in _runs(text, styles):
            f = fonts[s]
            yy = y - (typ.sup_rise * typ.size_pt * k if s == "s" else 0)
            d.text((x, yy), _printable(t, s), font=f, fill=255, anchor="ls")
            x += f.getlength(_printable(t, s))
        return x

    lines = book.pages[page_no]
    top = g.body_top_baseline_pt
    if page_no == 1:  # chapter opening: sunk heading, folio at the foot
        hf = font("LiberationSerif-Regular.ttf", round(18 * k))
        d.text((left + measure / 2, 110 * k), "1", font=hf, fill=255, anchor="ms")
        d.text((left + measure / 2, 140 * k), book.chapter_title, font=hf, fill=255, anchor="ms")
        sf = font("LiberationSerif-Italic.ttf", round(11 * k))
        d.text((left + measure / 2, 170 * k), "Introduction by Philip Spencer", font=sf, fill=255, anchor="ms")
        top = g.body_top_baseline_pt + (g.lines_per_page - g.opening_lines) * typ.leading_pt
        d.text((left + measure / 2, (g.body_top_baseline_pt + g.lines_per_page * typ.leading_pt + 8) * k),
               "1", font=fonts["r"], fill=255, anchor="ms")
    else:
        hb = g.head_baseline_pt * k
        folio = str(page_no)
        if recto:
            hf = font("LiberationSerif-Italic.ttf", round(10 * k))
            d.text((left + measure / 2, hb), book.chapter_title, font=hf, fill=255, anchor="ms")
            d.text((left + measure, hb), folio, font=fonts["r"], fill=255, anchor="rs")
        else:
            hf = font("LiberationSerif-Regular.ttf", round(8.5 * k))
            track = 1.1 * k
            tw = sum(hf.getlength(c) for c in BOOK_TITLE) + track * (len(BOOK_TITLE) - 1)
            x = left + (measure - tw) / 2
            for c in BOOK_TITLE:
                d.text((x, hb), c, font=hf, fill=255, anchor="ls")
                x += hf.getlength(c) + track
            d.text((left, hb), folio, font=fonts["r"], fill=255, anchor="ls")

    for n, line in enumerate(lines):
        p = book.paras[line.para]
        y = (top + n * typ.leading_pt) * k
        x0 = left + (g.indent_pt * k if line.indent else 0)
        spans = line.words
        widths = [run_width(p.text[a:b], p.styles[a:b], fonts) for a, b in spans]
        hyph_w = fonts["r"].getlength("-") if line.hyphen else 0
        gaps = len(spans) - 1
        if line.last or gaps == 0:
            gap = space
        else:
            gap = (left + measure - x0 - sum(widths) - hyph_w) / gaps
        x = x0
        for (a, b), wdt in zip(spans, widths):
            draw_styled(x, y, p.text[a:b], p.styles[a:b])
            x += wdt + gap
        if line.hyphen:
            d.text((x - gap, y), "-", font=fonts["r"], fill=255, anchor="ls")
    return np.asarray(img, dtype=np.float32) / 255.0


# --------------------------------------------------------------------------- stamps

@dataclass
class Stamp:
    lines: list[str]
    shape: str = "oval"          # 'oval' or 'rect'
    center_pt: tuple[float, float] = (350.0, 520.0)   # on the upright page, points
    size_pt: tuple[float, float] = (120.0, 64.0)
    angle: float = 14.0          # degrees, counter-clockwise
    ink: float = 0.45            # ink luminance (0 black .. 1 paper)
    opacity: float = 0.75


def render_stamp(stamp: Stamp, shape_hw: tuple[int, int], dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Stamp coverage (0..1) on a page-sized canvas, with patchy ink."""
    k = dpi / 72
    w, h = round(stamp.size_pt[0] * k), round(stamp.size_pt[1] * k)
    pad = round(6 * k)
    im = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    d = ImageDraw.Draw(im)
    lw = max(1, round(1.6 * k))
    box = (pad, pad, pad + w, pad + h)
    if stamp.shape == "oval":
        d.ellipse(box, outline=255, width=lw)
        inner = (pad + 3 * lw, pad + 3 * lw, pad + w - 3 * lw, pad + h - 3 * lw)
        d.ellipse(inner, outline=255, width=max(1, lw // 2))
    else:
        d.rectangle(box, outline=255, width=lw)
        inner = (pad + 3 * lw, pad + 3 * lw, pad + w - 3 * lw, pad + h - 3 * lw)
        d.rectangle(inner, outline=255, width=max(1, lw // 2))
    n = len(stamp.lines)
    fpx = round(min(h * 0.7 / n, 11 * k) * 0.8)
    f = font("LiberationSans-Bold.ttf", max(6, fpx))
    cx = pad + w / 2
    for i, t in enumerate(stamp.lines):
        fs = f
        while fs.getlength(t) > w * (0.72 if stamp.shape == "oval" and i in (0, n - 1) else 0.86) and fs.size > 6:
            fs = font("LiberationSans-Bold.ttf", fs.size - 2)
        cy = pad + h / 2 + (i - (n - 1) / 2) * h * 0.72 / n
        d.text((cx, cy), t, font=fs, fill=255, anchor="mm")
    im = im.rotate(stamp.angle, resample=Image.BICUBIC, expand=True)
    a = np.asarray(im, dtype=np.float32) / 255.0
    # patchy ink: low-frequency pressure field and a few voids
    blot = cv2.GaussianBlur(rng.random(a.shape, dtype=np.float32), (0, 0), 4 * k / 6)
    blot = (blot - blot.min()) / max(1e-6, float(blot.max() - blot.min()))
    a = a * np.clip(0.35 + 1.1 * blot, 0, 1)
    canvas = np.zeros(shape_hw, np.float32)
    cy, cx = stamp.center_pt[1] * k, stamp.center_pt[0] * k
    y0, x0 = round(cy - a.shape[0] / 2), round(cx - a.shape[1] / 2)
    ys, xs = max(0, y0), max(0, x0)
    ye, xe = min(shape_hw[0], y0 + a.shape[0]), min(shape_hw[1], x0 + a.shape[1])
    canvas[ys:ye, xs:xe] = a[ys - y0:ye - y0, xs - x0:xe - x0]
    return canvas


def stamp_corners_pt(stamp: Stamp) -> np.ndarray:
    w, h = stamp.size_pt
    c = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    t = math.radians(stamp.angle)  # PIL rotates counter-clockwise on screen (y down)
    rot = np.array([[math.cos(t), math.sin(t)], [-math.sin(t), math.cos(t)]])
    return c @ rot.T + np.array(stamp.center_pt)


# --------------------------------------------------------------------------- degradation

@dataclass
class PageSpec:
    """One page of a sample scan and how it was 'scanned'."""
    file: str                  # scan file name; a multi-page file lists several specs
    page: int                  # book page number
    dpi: int = 300             # scan resolution
    write_dpi: bool = True     # write the DPI into the file's metadata
    skew: float = 0.3          # degrees, counter-clockwise
    blur: float = 0.5          # gaussian sigma in scan pixels
    noise: float = 0.015       # gaussian noise sigma (0..1 luminance)
    salt: float = 0.0          # fraction of pixels flipped to speckle
    illumination: float = 0.0  # strength of a smooth light gradient
    gutter: float = 0.0        # darkness of the spine shadow
    show_through: float = 0.0  # opacity of the mirrored back of the leaf
    ink_spread: float = 0.0    # >0 heavier, <0 lighter type
    dropout: float = 0.0       # fraction of the page with ink missing (broken, worn type)
    paper: float = 0.93        # paper luminance
    ink: float = 0.12          # ink luminance
    white_point: float | None = None  # scanner levels: luminance mapped to white (clips the paper)
    rotate: int = 0            # 0, 90 (clockwise: sideways) or 180 (upside down)
    jpeg_quality: int | None = None
    bilevel: bool = False      # thresholded to 1 bit (TIFF group4)
    stamp: Stamp | None = None

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def degradations(self) -> list[str]:
        out = [f"{self.dpi} dpi" + ("" if self.write_dpi else " (no DPI in file)"), f"skew {self.skew:+.1f}\u00b0"]
        if self.blur >= 0.8:
            out.append(f"blur \u03c3={self.blur}")
        if self.noise >= 0.02:
            out.append(f"noise \u03c3={self.noise}")
        if self.salt:
            out.append(f"salt-and-pepper {self.salt:.1%}")
        if self.illumination or self.gutter:
            out.append("uneven illumination" + (" with spine shadow" if self.gutter else ""))
        if self.show_through:
            out.append(f"show-through {self.show_through}")
        if self.ink_spread:
            out.append("heavy ink" if self.ink_spread > 0 else "light ink")
        if self.dropout:
            out.append("broken type")
        if self.white_point:
            out.append("background levelled to white")
        if self.paper - self.ink < 0.7:
            out.append("low contrast")
        if self.rotate:
            out.append({90: "turned sideways (90\u00b0 clockwise)", 180: "upside down (180\u00b0)"}[self.rotate])
        if self.jpeg_quality:
            out.append(f"JPEG q{self.jpeg_quality}")
        if self.bilevel:
            out.append("bilevel (1 bit)")
        if self.stamp:
            out.append("rubber stamp")
        return out


RENDER_DPI = 600


@dataclass
class PageImage:
    id: str
    spec: PageSpec
    pixels: np.ndarray          # uint8, as stored (bool for bilevel)
    lines: list[str]            # gt, line for line
    reading: str                # reading gt
    stamp_box: list[int] | None = None


def degrade(ink: np.ndarray, spec: PageSpec, rng: np.random.Generator, render_dpi: int,
            back: np.ndarray | None = None, stamp: np.ndarray | None = None):
    """Clean ink coverage -> scanned grayscale page (uint8) and the affine map
    from render pixels to scan pixels (before the orientation turn)."""
    k = render_dpi / 72
    cov = ink
    if spec.ink_spread:
        b = cv2.GaussianBlur(cov, (0, 0), 0.9 * render_dpi / 600)
        t = 0.5 - 0.25 * spec.ink_spread
        cov = np.clip((b - t) / 0.35 + 0.5, 0, 1).astype(np.float32)
    if spec.dropout:  # specks of missing ink that break strokes
        cell = max(2, round(render_dpi / 100))
        small = rng.random((cov.shape[0] // cell + 1, cov.shape[1] // cell + 1), dtype=np.float32)
        small = cv2.GaussianBlur(small, (0, 0), 0.8)
        holes = (small > np.quantile(small, 1 - spec.dropout)).astype(np.float32)
        holes = cv2.resize(holes, (small.shape[1] * cell, small.shape[0] * cell), interpolation=cv2.INTER_LINEAR)
        cov = cov * (1 - holes[:cov.shape[0], :cov.shape[1]])
    # uneven ink from the press
    press = cv2.resize(rng.random((24, 16), dtype=np.float32), cov.shape[::-1], interpolation=cv2.INTER_CUBIC)
    cov = cov * np.clip(0.88 + 0.2 * press, 0, 1)
    lum = spec.paper - (spec.paper - spec.ink) * cov
    if back is not None and spec.show_through:
        # the back of the leaf, mirrored, a little out of register so it shows between the lines
        shift = np.float32([[1, 0, 4 * k], [0, 1, 5.5 * k]])
        mirrored = cv2.warpAffine(np.ascontiguousarray(back[:, ::-1]), shift, back.shape[::-1])
        mirrored = cv2.GaussianBlur(mirrored, (0, 0), 2.5 * render_dpi / 300)
        lum = lum - spec.show_through * mirrored
    if stamp is not None and spec.stamp:
        lum = lum * (1 - spec.stamp.opacity * stamp * (1 - spec.stamp.ink))
    # skew about the page centre, paper-coloured surround
    h, w = lum.shape
    M = cv2.getRotationMatrix2D((w / 2, h / 2), spec.skew, 1.0)
    lum = cv2.warpAffine(lum, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=float(spec.paper))
    # scan resolution
    s = spec.dpi / render_dpi
    W, H = round(w * s), round(h * s)
    lum = cv2.resize(lum, (W, H), interpolation=cv2.INTER_AREA)
    A = np.vstack([M, [0, 0, 1]])
    A = np.diag([W / w, H / h, 1]) @ A
    if spec.blur:
        lum = cv2.GaussianBlur(lum, (0, 0), spec.blur)
    # light: smooth gradient plus a shadow along the spine
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    field = np.ones((H, W), np.float32)
    if spec.illumination:
        a = rng.uniform(0, 2 * math.pi)
        g = (np.cos(a) * (xx / W - 0.5) + np.sin(a) * (yy / H - 0.5))
        field -= spec.illumination * (g - g.min()) / max(1e-6, float(g.max() - g.min()))
    if spec.gutter:
        recto = spec.page % 2 == 1
        dist = xx if recto else (W - 1 - xx)
        field -= spec.gutter * np.exp(-dist / (0.25 * spec.dpi))
    lum = lum * field
    if spec.noise:
        lum = lum + rng.normal(0, spec.noise, lum.shape).astype(np.float32)
    if spec.salt:
        m = rng.random(lum.shape, dtype=np.float32)
        lum[m < spec.salt / 2] = spec.ink
        lum[m > 1 - spec.salt / 2] = spec.paper
    if spec.white_point:
        lum = lum / spec.white_point
    out = np.clip(lum * 255 + 0.5, 0, 255).astype(np.uint8)
    return out, A


def _turn(a: np.ndarray, rotate: int) -> np.ndarray:
    return {0: a, 180: np.rot90(a, 2), 90: np.rot90(a, -1), 270: np.rot90(a, 1)}[rotate].copy()


def _turn_points(pts: np.ndarray, rotate: int, W: int, H: int) -> np.ndarray:
    x, y = pts[:, 0], pts[:, 1]
    if rotate == 180:
        return np.stack([W - 1 - x, H - 1 - y], 1)
    if rotate == 90:   # clockwise: (x, y) -> (H-1-y, x)
        return np.stack([H - 1 - y, x], 1)
    if rotate == 270:
        return np.stack([y, W - 1 - x], 1)
    return pts


def page_id(spec: PageSpec, index_in_file: int, pages_in_file: int) -> str:
    """The file stem; a multi-page file's pages are <stem>-p0001, <stem>-p0002, ..."""
    if pages_in_file > 1:
        return f"{spec.stem}-p{index_in_file + 1:04d}"
    return spec.stem


def make_page(book: Book, spec: PageSpec, seed: int, *, page_id_: str | None = None,
              render_dpi: int = RENDER_DPI) -> PageImage:
    """Set and 'scan' one page, all in memory.  Same inputs, same pixels."""
    rng = np.random.default_rng([seed, spec.page])
    ink = render_ink(book, spec.page, render_dpi)
    back = None
    if spec.show_through:
        back_no = spec.page + 1 if spec.page % 2 else spec.page - 1
        if back_no in book.pages:
            back = render_ink(book, back_no, render_dpi)
    stamp_cov = render_stamp(spec.stamp, ink.shape, render_dpi, rng) if spec.stamp else None
    pix, A = degrade(ink, spec, rng, render_dpi, back, stamp_cov)
    H, W = pix.shape
    box = None
    if spec.stamp:
        pts = stamp_corners_pt(spec.stamp) * (render_dpi / 72)
        pts = (A @ np.c_[pts, np.ones(len(pts))].T).T[:, :2]
        pts = _turn_points(pts, spec.rotate, W, H)
        Ho, Wo = (W, H) if spec.rotate in (90, 270) else (H, W)
        box = [max(0, int(math.floor(pts[:, 0].min()))), max(0, int(math.floor(pts[:, 1].min()))),
               min(Wo, int(math.ceil(pts[:, 0].max()))), min(Ho, int(math.ceil(pts[:, 1].max())))]
    pix = _turn(pix, spec.rotate)
    if spec.bilevel:
        pix = pix > 140
    return PageImage(page_id_ or spec.stem, spec, pix, page_lines_text(book, spec.page),
                     page_reading_text(book, spec.page), box)


# --------------------------------------------------------------------------- the sample set

STAMP_LIBRARY = Stamp(["PUBLIC LIBRARY", "REFERENCE COPY", "NOT TO BE TAKEN AWAY"], shape="oval",
                      center_pt=(334.0, 480.0), size_pt=(112.0, 60.0), angle=17.0, ink=0.50, opacity=0.70)
STAMP_CUSTOMS = Stamp(["CUSTOMS EXAMINED", "VISA No 2417", "PORT OF ENTRY"], shape="rect",
                      center_pt=(340.0, 150.0), size_pt=(100.0, 50.0), angle=-11.0, ink=0.40, opacity=0.65)

SAMPLE_PAGES: list[PageSpec] = [
    PageSpec("page2.png", 2, dpi=300, skew=0.3, blur=0.5, noise=0.012, white_point=0.89),
    PageSpec("page3.png", 3, dpi=300, skew=-0.9, blur=0.6, noise=0.008, gutter=0.22, white_point=0.9,
             stamp=STAMP_LIBRARY),
    PageSpec("page4.jpg", 4, dpi=300, skew=1.6, blur=0.7, noise=0.02, illumination=0.22, show_through=0.08,
             jpeg_quality=68),
    PageSpec("page5.png", 5, dpi=200, skew=0.6, blur=0.8, noise=0.008, gutter=0.15, white_point=0.9, rotate=180),
    PageSpec("page6.tif", 6, dpi=300, skew=-0.5, blur=0.6, noise=0.03, salt=0.002, ink_spread=-0.3,
             dropout=0.06, bilevel=True),
    PageSpec("page6.tif", 7, dpi=300, skew=1.1, blur=0.7, noise=0.03, ink_spread=0.5, bilevel=True),
    PageSpec("page8.png", 8, dpi=200, skew=-1.2, blur=0.6, noise=0.012, illumination=0.1, white_point=0.8,
             rotate=90),
    PageSpec("page9.pdf", 9, dpi=300, skew=-1.3, blur=0.7, noise=0.015, paper=0.86, ink=0.28, gutter=0.18,
             stamp=STAMP_CUSTOMS, jpeg_quality=70),
    PageSpec("page10.jpg", 10, dpi=200, write_dpi=False, skew=2.5, blur=1.0, noise=0.035, salt=0.003,
             illumination=0.3, show_through=0.1, ink_spread=-0.3, jpeg_quality=55),
]


def build(seed_text: Path, out: Path, seed: int = 1994, specs: list[PageSpec] = SAMPLE_PAGES) -> list[PageImage]:
    title, paras = load_paragraphs(seed_text)
    wanted = tuple(s.page for s in specs if s.page + 1 in {t.page for t in specs})
    book = set_book(title, paras, want_hyphen_at_end_of=wanted)
    missing = [s.page for s in specs if s.page not in book.pages or len(book.pages[s.page]) < book.geometry.lines_per_page]
    if missing:
        raise SystemExit(f"not enough text for full pages {missing}")
    scans, gt = out / "scans", out / "gt"
    scans.mkdir(parents=True, exist_ok=True)
    gt.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[PageSpec]] = {}
    for s in specs:
        by_file.setdefault(s.file, []).append(s)
    results: list[PageImage] = []
    stamps: dict[str, dict] = {}
    manifest: list[dict] = []
    for file, group in by_file.items():
        images = []
        for i, spec in enumerate(group):
            pid = page_id(spec, i, len(group))
            page = make_page(book, spec, seed, page_id_=pid)
            results.append(page)
            images.append(page)
            (gt / f"{pid}.gt.txt").write_text("\n".join(page.lines) + "\n", encoding="utf-8")
            (gt / f"{pid}.reading.txt").write_text(page.reading, encoding="utf-8")
            if page.stamp_box:
                stamps[pid] = {"words": " ".join(spec.stamp.lines).split(), "lines": spec.stamp.lines,
                               "shape": spec.stamp.shape, "box": page.stamp_box,
                               "box_note": "x0, y0, x1, y1 in pixels of the image as stored"}
            manifest.append({"id": pid, "file": file, "book_page": spec.page, "dpi": spec.dpi,
                             "dpi_in_file": spec.write_dpi, "skew_deg": spec.skew, "rotated_clockwise": spec.rotate,
                             "size_px": list(page.pixels.shape[::-1]), "degradations": spec.degradations()})
        _save(scans / file, images)
    (gt / "stamps.json").write_text(json.dumps(stamps, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"seed": seed, "source": "The Serge-Trotsky Papers (Pluto Press, 1994), "
                                                   "Chapter 1, Introduction by Philip Spencer",
                                                   "pages": manifest}, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return results


def _save(path: Path, pages: list[PageImage]) -> None:
    spec = pages[0].spec
    ims = [Image.fromarray(p.pixels) if not p.spec.bilevel else Image.fromarray(p.pixels).convert("1")
           for p in pages]
    dpi = (spec.dpi, spec.dpi)
    ext = path.suffix.lower()
    kw: dict = {"dpi": dpi} if spec.write_dpi else {}
    if ext == ".png":
        ims[0].save(path, optimize=True, **kw)
    elif ext in (".jpg", ".jpeg"):
        if not spec.write_dpi:
            kw = {"dpi": (0, 0)}  # JFIF density unset: no resolution to read
        ims[0].save(path, quality=spec.jpeg_quality or 80, optimize=True, **kw)
    elif ext in (".tif", ".tiff"):
        comp = "group4" if spec.bilevel else "tiff_deflate"
        ims[0].save(path, save_all=True, append_images=ims[1:], compression=comp, **kw)
    elif ext == ".pdf":
        # a scanned PDF: the page image embedded (JPEG) at its scan resolution
        import time
        when = time.gmtime(770428800)  # 1994-06-01, fixed so that the file is reproducible
        ims[0].save(path, "PDF", resolution=float(spec.dpi), quality=spec.jpeg_quality or 80,
                    title=f"{BOOK_TITLE.title()}, p. {spec.page}", creationDate=when, modDate=when)
    else:
        raise ValueError(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-text", type=Path, default=DEFAULT_SEED_TEXT,
                    help="the book's Markdown (default: ../shared/seed/serge-trotsky-papers.md from the repo root)")
    ap.add_argument("--out", type=Path, default=REPO / "samples")
    ap.add_argument("--seed", type=int, default=1994, help="random seed for the degradations")
    a = ap.parse_args(argv)
    if not a.seed_text.exists():
        print(f"make_samples: seed text not found: {a.seed_text}", file=sys.stderr)
        return 2
    pages = build(a.seed_text, a.out, a.seed)
    for p in pages:
        print(f"{p.id:16s} {p.spec.file:12s} page {p.spec.page:3d}  " + ", ".join(p.spec.degradations()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
