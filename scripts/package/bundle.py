"""The files of a deployment package, as bytes: nothing here touches the disk.

The paconn / pac folder holds exactly the three rendered files, a paconn ``settings.json`` (file
names, environment, connector id: never a secret) and the certification ``readme.md`` beside the
definition, where Microsoft's connector repository keeps it. The zip holds the same bytes with
fixed timestamps, so the same sources always give the same zip.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..docs.render import CERTIFICATION_README
from ..render.jsonfmt import dump_json
from ..rules import ICON, PROPERTIES, SWAGGER

SETTINGS = "settings.json"
README = "readme.md"
ARM_TEMPLATE = "logic-apps/azuredeploy.json"
ZIP = "plivo-connector.zip"
SETTINGS_SCHEMA = ("https://raw.githubusercontent.com/microsoft/PowerPlatformConnectors/master/schemas/"
                   "paconn-settings.schema.json#")
ENVIRONMENT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CONNECTOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes


class PackageError(ValueError):
    """A bad flag value; the message names the flag."""


def settings_json(environment: str | None, connector_id: str | None) -> bytes:
    """paconn's settings.json: the keys of Microsoft's paconn-settings schema, no secrets."""
    settings: dict[str, str] = {"$schema": SETTINGS_SCHEMA}
    if connector_id is not None:
        if not CONNECTOR_ID.match(connector_id):
            raise PackageError(f"--connector-id {connector_id!r}: expected the id `pac connector list` or "
                               "`paconn create` printed (letters, digits, '_', '-', '.')")
        settings["connectorId"] = connector_id
    if environment is not None:
        normalised = environment.strip().lower()
        if not ENVIRONMENT.match(normalised):
            raise PackageError(f"--environment {environment!r}: paconn takes the environment's bare GUID "
                               "(00000000-0000-0000-0000-000000000000), not its name or URL")
        settings["environment"] = normalised
    settings |= {"apiProperties": PROPERTIES, "apiDefinition": SWAGGER, "icon": ICON,
                 "powerAppsUrl": "https://api.powerapps.com", "powerAppsApiVersion": "2016-11-01"}
    return dump_json(settings)


def package_files(rendered: dict[str, bytes], settings: bytes, arm: dict | None = None) -> dict[str, bytes]:
    """Path inside the package -> bytes, the zip included."""
    files = {SWAGGER: rendered[SWAGGER], PROPERTIES: rendered[PROPERTIES], ICON: rendered[ICON],
             SETTINGS: settings, README: rendered[CERTIFICATION_README]}
    if arm is not None:
        files[ARM_TEMPLATE] = dump_json(arm)
    files[ZIP] = zip_bytes(files)
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()
