"""Rules on the connector as a whole: title, description, contact, metadata, host, publisher."""

from __future__ import annotations

import re

from . import (
    CERTIFICATION,
    CERTIFICATION_DOC,
    PLATFORM,
    POLICIES_DOC,
    PROPERTIES,
    SWAGGER,
    SWAGGER_SPEC,
    WARNING,
    Connector,
    Problem,
    rule,
)
from .walk import host_replaced, obj
from .walk import text as as_text

FORBIDDEN_TITLE_WORDS = ("api", "connector", "power automate", "power apps", "powerapps", "logic apps",
                         "microsoft flow", "power platform")
FORBIDDEN_DESCRIPTION_WORDS = ("power automate", "power apps", "powerapps", "logic apps", "microsoft flow",
                               "power platform")
CATEGORIES = {
    "AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
    "Content and Files", "Finance", "Data", "Human Resources", "Internet of Things", "IT Operations",
    "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security",
    "Social Media", "Website",
}
HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+(:\d+)?$")
TEST_HOST = re.compile(r"(^|[.-])(staging|stage|test|dev|sandbox|localhost)([.-]|$)", re.IGNORECASE)


def _words(text: str, phrases: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [p for p in phrases if re.search(rf"\b{re.escape(p)}\b", lowered)]


@rule("TitleFormat", "info.title: at most 30 characters, ends with a letter or digit, no 'API', "
                     "'Connector' or product names.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="The title is the connector's name in the designer; certification limits it to 30 characters "
                "naming the service only.",
      fix="Shorten info.title (title in connector.yaml) to the service's name.")
def title_format(c: Connector):
    title = as_text(obj(c.swagger.get("info")).get("title"))
    where = (SWAGGER, ("info", "title"))
    if not title:
        yield Problem(*where, "info.title is missing; set 'title' in connector.yaml")
        return
    if len(title) > 30:
        yield Problem(*where, f"title '{title}' has {len(title)} characters; keep it to 30 or fewer")
    if not title[-1].isalnum() and not title.endswith(")"):
        yield Problem(*where, f"title '{title}' must end with a letter, digit or ')'")
    for word in _words(title, FORBIDDEN_TITLE_WORDS):
        yield Problem(*where, f"title '{title}' must not contain '{word}'; name the service only")


@rule("ConnectorDescription", "info.description is there.",
      profile=PLATFORM, source=SWAGGER_SPEC + "; paconn",
      rationale="paconn and pac take the connector's description from info.description and fail without one.",
      fix="Write an info.description of 30 to 500 characters.")
def connector_description(c: Connector):
    if not as_text(obj(c.swagger.get("info")).get("description")).strip():
        yield Problem(SWAGGER, ("info",), "info.description is missing; the import needs the connector's description")


@rule("DescriptionFormat", "info.description: 30 to 500 characters, no Power Platform product names.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="paconn takes the connector description from info.description and fails without one; "
                "certification asks for 30 to 500 characters.",
      fix="Write a 30 to 500 character info.description that says what the service does.")
def description_format(c: Connector):
    text = as_text(obj(c.swagger.get("info")).get("description"))
    where = (SWAGGER, ("info", "description"))
    if text and not 30 <= len(text) <= 500:
        yield Problem(*where, f"the connector description has {len(text)} characters; it needs 30 to 500 "
                              "(paconn fails without one)")
    for word in _words(text, FORBIDDEN_DESCRIPTION_WORDS):
        yield Problem(*where, f"the connector description must not name the product '{word}'")


@rule("ContactInfo", "info.contact has name, url and email.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Certified connectors name who supports them.",
      fix="Fill info.contact.name, url and email.")
def contact_info(c: Connector):
    contact = obj(obj(c.swagger.get("info")).get("contact"))
    for key in ("name", "url", "email"):
        if not contact.get(key):
            yield Problem(SWAGGER, ("info", "contact"), f"info.contact.{key} is missing; set contact.{key}")
    if contact.get("email") and "@" not in str(contact["email"]):
        yield Problem(SWAGGER, ("info", "contact", "email"), f"'{contact['email']}' is not an e-mail address")


@rule("ConnectorMetadata", "x-ms-connector-metadata holds Website, Privacy policy and at most two "
                           "known Categories.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Certification lists the publisher's website, privacy policy and the connector's categories "
                "from this metadata.",
      fix="Add x-ms-connector-metadata entries Website, Privacy policy and Categories (at most two).")
def connector_metadata(c: Connector):
    entries = c.swagger.get("x-ms-connector-metadata")
    where = (SWAGGER, ("x-ms-connector-metadata",))
    if not isinstance(entries, list):
        yield Problem(*where, "x-ms-connector-metadata is missing; it lists Website, Privacy policy, Categories")
        return
    names = {"website": "Website", "privacy policy": "Privacy policy", "categories": "Categories"}
    values = {names.get(str(e.get("propertyName")).lower(), str(e.get("propertyName"))): e.get("propertyValue")
              for e in entries if isinstance(e, dict)}
    for name in ("Website", "Privacy policy", "Categories"):
        if not values.get(name):
            yield Problem(*where, f"x-ms-connector-metadata has no '{name}' entry")
    for name in sorted(set(values) - {"Website", "Privacy policy", "Categories"}, key=str):
        yield Problem(*where, f"x-ms-connector-metadata has an unknown entry '{name}'")
    for name in ("Website", "Privacy policy"):
        if values.get(name) and not str(values[name]).startswith("https://"):
            yield Problem(*where, f"'{name}' must be an https URL, not '{values[name]}'")
    categories = [part.strip() for part in str(values.get("Categories") or "").split(";") if part.strip()]
    if len(categories) > 2:
        yield Problem(*where, f"{len(categories)} categories given; choose at most 2")
    for category in categories:
        if category.lower() not in {known.lower() for known in CATEGORIES}:
            yield Problem(*where, f"unknown category '{category}'; choose from: {', '.join(sorted(CATEGORIES))}")


def _replaced(c: Connector) -> bool:
    return host_replaced(c.properties)


@rule("HostAndSchemes", "host is a host name (optional port) and basePath starts with '/', unless a "
                        "dynamichosturl policy replaces them.",
      profile=PLATFORM, source=SWAGGER_SPEC + "; " + POLICIES_DOC,
      rationale="paconn builds the backend URL as schemes[0]://host + basePath, so a scheme or path in host "
                "breaks every call (a dynamichosturl policy replaces host and basePath at run time).",
      fix="Put only the host name in host and the path in basePath.")
def host_and_schemes(c: Connector):
    host = c.swagger.get("host")
    if not _replaced(c) and not (isinstance(host, str) and HOST.match(host)):
        yield Problem(SWAGGER, ("host",), f"host {host!r} must be a host name (optional port), "
                                          "without scheme or path" if host is not None else "host is missing")
    base = c.swagger.get("basePath", "/")
    if not str(base).startswith("/"):
        yield Problem(SWAGGER, ("basePath",), f"basePath '{base}' must start with '/'")


@rule("ProductionHost", "host is a production host, and schemes is https.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Certified connectors call the service's production endpoint over https.",
      fix="Use the production host name and set schemes to [https].")
def production_host(c: Connector):
    host = c.swagger.get("host")
    if isinstance(host, str) and HOST.match(host) and TEST_HOST.search(host.split(":")[0]) and not _replaced(c):
        yield Problem(SWAGGER, ("host",), f"host '{host}' looks like a test or staging host; "
                                          "use the production host")
    schemes = c.swagger.get("schemes")
    if not isinstance(schemes, list) or not schemes or any(s != "https" for s in schemes):
        yield Problem(SWAGGER, ("schemes",), f"schemes must be ['https'], not {schemes!r}")


@rule("PublisherInfo", "apiProperties names the publisher and the stack owner.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Certification shows the publisher and the owner of the service behind the connector.",
      fix="Set properties.publisher and properties.stackOwner in apiProperties.json.")
def publisher_info(c: Connector):
    props = obj(c.properties.get("properties"))
    for key in ("publisher", "stackOwner"):
        if not str(props.get(key) or "").strip():
            yield Problem(PROPERTIES, ("properties", key), f"properties.{key} is missing; name the company")
