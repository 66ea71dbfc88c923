"""Rules on the connector as a whole: title, description, contact, metadata, host, publisher."""

from __future__ import annotations

import re

from . import PROPERTIES, SWAGGER, Connector, Problem, rule

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
                     "'Connector' or product names.")
def title_format(c: Connector):
    title = c.swagger.get("info", {}).get("title", "")
    where = (SWAGGER, ("info", "title"))
    if not title:
        yield Problem(*where, "info.title is missing; set 'title' in connector.yaml")
        return
    if len(title) > 30:
        yield Problem(*where, f"title '{title}' has {len(title)} characters; keep it to 30 or fewer")
    if not title[-1].isalnum():
        yield Problem(*where, f"title '{title}' must end with a letter or digit")
    for word in _words(title, FORBIDDEN_TITLE_WORDS):
        yield Problem(*where, f"title '{title}' must not contain '{word}'; name the service only")


@rule("DescriptionFormat", "info.description: 30 to 500 characters, no Power Platform product names.")
def description_format(c: Connector):
    text = c.swagger.get("info", {}).get("description", "")
    where = (SWAGGER, ("info", "description"))
    if not 30 <= len(text) <= 500:
        yield Problem(*where, f"the connector description has {len(text)} characters; it needs 30 to 500 "
                              "(paconn fails without one)")
    for word in _words(text, FORBIDDEN_DESCRIPTION_WORDS):
        yield Problem(*where, f"the connector description must not name the product '{word}'")


@rule("ContactInfo", "info.contact has name, url and email.")
def contact_info(c: Connector):
    contact = c.swagger.get("info", {}).get("contact", {})
    for key in ("name", "url", "email"):
        if not contact.get(key):
            yield Problem(SWAGGER, ("info", "contact"), f"info.contact.{key} is missing; set contact.{key}")
    if contact.get("email") and "@" not in contact["email"]:
        yield Problem(SWAGGER, ("info", "contact", "email"), f"'{contact['email']}' is not an e-mail address")


@rule("ConnectorMetadata", "x-ms-connector-metadata holds Website, Privacy policy and at most two "
                           "known Categories.")
def connector_metadata(c: Connector):
    entries = c.swagger.get("x-ms-connector-metadata")
    where = (SWAGGER, ("x-ms-connector-metadata",))
    if not isinstance(entries, list):
        yield Problem(*where, "x-ms-connector-metadata is missing; it lists Website, Privacy policy, Categories")
        return
    values = {e.get("propertyName"): e.get("propertyValue") for e in entries if isinstance(e, dict)}
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
        if category not in CATEGORIES:
            yield Problem(*where, f"unknown category '{category}'; choose from: {', '.join(sorted(CATEGORIES))}")


@rule("HostAndSchemes", "host is a production host name, basePath starts with '/', schemes is https.")
def host_and_schemes(c: Connector):
    host = c.swagger.get("host", "")
    if not HOST.match(host or ""):
        yield Problem(SWAGGER, ("host",), f"host '{host}' must be a host name (optional port), "
                                          "without scheme or path")
    elif TEST_HOST.search(host.split(":")[0]):
        yield Problem(SWAGGER, ("host",), f"host '{host}' looks like a test or staging host; "
                                          "use the production host")
    base = c.swagger.get("basePath", "/")
    if not str(base).startswith("/"):
        yield Problem(SWAGGER, ("basePath",), f"basePath '{base}' must start with '/'")
    schemes = c.swagger.get("schemes")
    if not schemes or any(s != "https" for s in schemes):
        yield Problem(SWAGGER, ("schemes",), f"schemes must be ['https'], not {schemes!r}")


@rule("PublisherInfo", "apiProperties names the publisher and the stack owner.")
def publisher_info(c: Connector):
    props = c.properties.get("properties", {})
    for key in ("publisher", "stackOwner"):
        if not str(props.get(key) or "").strip():
            yield Problem(PROPERTIES, ("properties", key), f"properties.{key} is missing; name the company")
