"""Rules on the brand colour and icon.png."""

from __future__ import annotations

import re

from ..render.icon import inspect_png
from . import CERTIFICATION, CERTIFICATION_DOC, HOUSE, HOUSE_DOC, ICON, PROPERTIES, WARNING, Connector, Problem, rule
from .walk import obj

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
FORBIDDEN_COLOURS = {"#ffffff": "white", "#007ee5": "the default custom-connector blue"}


@rule("BrandColor", "iconBrandColor is #rrggbb, not white and not #007ee5.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Certification asks for the brand's own colour as the icon background: not white, not the default "
                "custom-connector blue.",
      fix="Set iconBrandColor (brandColor in connector.yaml) to the brand's colour as #rrggbb.")
def brand_color(c: Connector):
    colour = obj(c.properties.get("properties")).get("iconBrandColor", "")
    where = (PROPERTIES, ("properties", "iconBrandColor"))
    if not isinstance(colour, str) or not COLOUR.match(colour):
        yield Problem(*where, f"iconBrandColor '{colour}' must be a colour like #1f8f5a")
    elif colour.lower() in FORBIDDEN_COLOURS:
        yield Problem(*where, f"iconBrandColor {colour} is {FORBIDDEN_COLOURS[colour.lower()]}; certification "
                              "rejects it, choose the brand's colour")


@rule("IconFormat", "icon.png is an opaque PNG of about 230x230 whose background is iconBrandColor, with a mark "
                    "of about 160x160.",
      profile=HOUSE, source=HOUSE_DOC + "; sizes from " + CERTIFICATION_DOC,
      rationale="The build renders the icon, so it must exist and match the certification's icon guidance; paconn "
                "and pac treat the icon as optional, so other folders are not held to it.",
      fix="Run plivo-connector build, which renders icon.png from brandColor.")
def icon_format(c: Connector):
    if c.icon is None:
        yield Problem(ICON, (), "icon.png is missing")
        return
    try:
        info = inspect_png(c.icon)
    except ValueError as error:
        yield Problem(ICON, (), f"icon.png is not a readable PNG: {error}")
        return
    if not (200 <= info.width <= 260 and 200 <= info.height <= 260):
        yield Problem(ICON, (), f"icon.png is {info.width}x{info.height}; make it about 230x230")
    if not info.opaque:
        yield Problem(ICON, (), "icon.png has transparent pixels; the background must be opaque")
    colour = str(obj(c.properties.get("properties")).get("iconBrandColor", "")).lower()
    if any(corner.lower() != colour for corner in info.corner_colors):
        yield Problem(ICON, (), f"icon.png background {sorted(set(info.corner_colors))} is not the "
                                f"iconBrandColor {colour}")
    width, height = info.mark_box
    if not (120 <= width <= 190 and 120 <= height <= 190):
        yield Problem(ICON, (), f"the mark in icon.png is {width}x{height}; make it about 160x160")
