"""Agents and contact points: who publishes, holds and decides on access to a dataset.

An organisation is identified by its number in Enhetsregisteret, as DCAT-AP-NO asks, and is
described the same way wherever it appears (publisher, custodian, access body), so a catalogue
page that merges many datasets still gives each organisation one name and one contact point.
"""

from __future__ import annotations

from catalogue.dcat.rdf import Nodes, iri, term, text
from catalogue.dcat.uris import DcatConfig
from catalogue.dcat.vocab import Concepts
from catalogue.format.models import Contact, Contributor, Organization

BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
HELSEDATA = "https://helsedata.no/"
HDS_NAME = {"nb": "Helsedataservice", "en": "Helsedataservice (Norwegian health data access body)"}


def org_uri(org: Organization) -> str:
    """The organisation's IRI: its entry in Enhetsregisteret."""
    return BRREG + org.organization_number


class Agents:
    """Describes each agent once in the shared store and returns its IRI."""

    def __init__(self, config: DcatConfig, shared: Nodes, concepts: Concepts,
                 organizations: dict[str, Organization]) -> None:
        self.config = config
        self.shared = shared
        self.concepts = concepts
        self.organizations = organizations

    def _agent(self, uri: str, names: dict[str, str], kind: str | None, homepage: str,
               contact_uri: str, email: str | None, page: str | None, phone: str | None) -> str:
        g = self.shared
        g.typed_as(uri, "foaf:Agent", "foaf:Organization")
        for lang, name in names.items():
            g.add(uri, term("foaf:name"), text(name, lang))
        g.add(uri, term("dct:type"), self.concepts.publisher_type(kind))
        g.add(uri, term("foaf:homepage"), iri(homepage))
        g.typed_as(contact_uri, "cv:ContactPoint")
        g.add(uri, term("cv:contactPoint"), contact_uri)
        g.add(contact_uri, term("cv:email"), text(email) if email else None)
        # at least one of email and contact page is required; a phone number alone is not enough
        page = page or (None if email else homepage)
        g.add(contact_uri, term("cv:contactPage"), iri(page) if page else None)
        g.add(contact_uri, term("cv:telephone"), text(phone) if phone else None)
        return uri

    def organization(self, org_id: str) -> str:
        """A data controller, processor or biobank owner from metadata/organizations/."""
        org = self.organizations[org_id]
        uri = org_uri(org)
        if uri not in self.shared:
            names = {k: v for k, v in org.name.model_dump().items() if v} or {"nb": org.id}
            self._agent(uri, names, org.type, org.homepage, self.config.organization(org.id) + "#contact",
                        org.contact.email, _web(org.contact.url), org.contact.phone)
            self.shared.add(uri, term("dct:identifier"), text(org.organization_number))
        return uri

    def helsedataservice(self) -> str:
        """Helsedataservice, which decides on access for the central health registries."""
        uri = self.config.organization("helsedataservice")
        if uri not in self.shared:
            self._agent(uri, HDS_NAME, None, HELSEDATA, uri + "#contact", None, HELSEDATA, None)
        return uri

    def catalogue_publisher(self) -> str:
        """Who publishes the catalogue: a configured organisation, or the catalogue itself."""
        if self.config.publisher:
            return self.organization(self.config.publisher)
        uri = self.config.catalog_publisher
        if uri not in self.shared:
            self.shared.typed_as(uri, "foaf:Agent")
            for lang, name in self.config.title.items():
                self.shared.add(uri, term("foaf:name"), text(name, lang))
            self.shared.add(uri, term("foaf:homepage"), self.config.base_url)
        return uri


def _web(url: str | None) -> str | None:
    return url if url and not url.startswith("mailto:") else None


def _mail(value: str | None) -> str | None:
    if not value:
        return None
    return value if value.startswith("mailto:") else f"mailto:{value}"


def contact_point(g: Nodes, uri: str, name: str | None, email: str | None, url: str | None) -> bool:
    """A vcard:Kind and vcard:Organization on `uri` if there is an email or web address; True if so."""
    if url and url.startswith("mailto:"):
        email, url = email or url, None
    if not (email or url):
        return False
    # vcard:Kind for DCAT-AP; vcard:Organization for DCAT-AP-NO, which wants a contact point
    # that is a function or a desk, not a person (every contact we publish is one)
    g.typed_as(uri, "vcard:Kind", "vcard:Organization")
    g.add(uri, term("vcard:fn"), text(name) if name else None)
    g.add(uri, term("vcard:hasEmail"), iri(_mail(email)) if email else None)
    g.add(uri, term("vcard:hasURL"), iri(url) if url else None)
    return True


def dataset_contacts(g: Nodes, dataset: str, contributors: list[Contributor],
                     access: Contact) -> list[str]:
    """The dataset's contact points: contributors with the `contact` role, then the access desk."""
    found: list[str] = []
    seen: set[tuple[str | None, str | None]] = set()
    people = [(c.title, c.email, c.path) for c in contributors if "contact" in c.roles]
    people.append((access.name, access.email, access.url))
    for n, (name, email, url) in enumerate(people, 1):
        key = (email, url)
        if key in seen:
            continue
        seen.add(key)
        uri = f"{dataset}#contact-{n}"
        if contact_point(g, uri, name, email, url):
            found.append(uri)
    return found
