"""The store's tables: SQLAlchemy 2.0 typed mappings of what the feeds serve.

The relational tables (organisations, entries, resources, variables, access guidelines, groups,
tags) are the store proper. Two derived tables make the feed fast: `packages` holds each entry's
CKAN package dict, rendered once at load time, and `search_terms` indexes every field a query
can filter or facet on. Full-text search lives beside them (`catalogue.store.fulltext`).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

TIMESTAMP = String(26)  # naive UTC, always "YYYY-MM-DDTHH:MM:SS.ffffff": sorts as text


class Base(DeclarativeBase):
    """The store's tables: `Base.metadata.create_all` makes them all."""


entry_tags = Table(
    "entry_tags", Base.metadata,
    Column("entry_pk", ForeignKey("entries.pk", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

entry_groups = Table(
    "entry_groups", Base.metadata,
    Column("entry_pk", ForeignKey("entries.pk", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Organization(Base):
    """A data controller or processor; a CKAN organization."""

    __tablename__ = "organizations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID derived from the slug
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    organization_number: Mapped[str] = mapped_column(String(9))
    type: Mapped[str] = mapped_column(String(100))
    health_region: Mapped[str] = mapped_column(String(100))
    homepage: Mapped[str] = mapped_column(Text)
    created: Mapped[str] = mapped_column(TIMESTAMP)
    ckan_json: Mapped[str] = mapped_column(Text)  # organization dict without package_count


class Group(Base):
    """A theme or health category; a CKAN group."""

    __tablename__ = "groups"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    vocabulary: Mapped[str] = mapped_column(String(100))
    term: Mapped[str] = mapped_column(String(100))
    uri: Mapped[str | None] = mapped_column(Text)
    created: Mapped[str] = mapped_column(TIMESTAMP)
    ckan_json: Mapped[str] = mapped_column(Text)


class Tag(Base):
    """A keyword, cleaned to CKAN's tag rules."""

    __tablename__ = "tags"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Entry(Base):
    """A registry or biobank; a CKAN dataset."""

    __tablename__ = "entries"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    title_sort: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    owner_org: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    license_id: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    metadata_created: Mapped[str] = mapped_column(TIMESTAMP)
    metadata_modified: Mapped[str] = mapped_column(TIMESTAMP)

    organization: Mapped[Organization] = relationship()
    package: Mapped[Package] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    resources: Mapped[list[Resource]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Resource.position")
    variables: Mapped[list[Variable]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Variable.position")
    access: Mapped[AccessGuideline | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    tags: Mapped[list[Tag]] = relationship(secondary=entry_tags, passive_deletes=True)
    groups: Mapped[list[Group]] = relationship(secondary=entry_groups, passive_deletes=True)

    __table_args__ = (  # sorted pages read an index, not the table
        Index("ix_entries_modified", "metadata_modified", "id"),
        Index("ix_entries_created", "metadata_created", "id"),
        Index("ix_entries_title", "title_sort", "id"),
    )


class Package(Base):
    """An entry's CKAN package dict as JSON text, rendered at load time.

    Kept out of `entries` so that sorting and counting entries read small rows.
    """

    __tablename__ = "packages"
    entry_pk: Mapped[int] = mapped_column(
        ForeignKey("entries.pk", ondelete="CASCADE"), primary_key=True)
    json: Mapped[str] = mapped_column(Text)


class Resource(Base):
    """A CKAN resource of an entry: its page, a data dictionary, its access guidelines."""

    __tablename__ = "resources"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("entries.pk", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30))  # page, data-dictionary, access-guidelines
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(50))
    mimetype: Mapped[str] = mapped_column(String(100))

    entry: Mapped[Entry] = relationship(back_populates="resources")


class Variable(Base):
    """One field of an entry's data dictionary."""

    __tablename__ = "variables"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("entries.pk", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str | None] = mapped_column(String(50))
    coding_system: Mapped[str | None] = mapped_column(String(100))


class AccessGuideline(Base):
    """How a researcher gets access to one entry's data or material."""

    __tablename__ = "access_guidelines"
    entry_pk: Mapped[int] = mapped_column(
        ForeignKey("entries.pk", ondelete="CASCADE"), primary_key=True)
    access_rights: Mapped[str] = mapped_column(String(30))
    decided_by: Mapped[str] = mapped_column(String(50))
    approvals: Mapped[str] = mapped_column(Text)  # JSON list of terms
    legal_basis_options: Mapped[str] = mapped_column(Text)  # JSON list of terms
    documents: Mapped[str] = mapped_column(Text)  # JSON list of terms
    application_url: Mapped[str] = mapped_column(Text)
    application_route: Mapped[str] = mapped_column(Text)
    lead_time_min_weeks: Mapped[int] = mapped_column(Integer)
    lead_time_max_weeks: Mapped[int] = mapped_column(Integer)
    fees_min_nok: Mapped[int] = mapped_column(Integer)
    fees_max_nok: Mapped[int] = mapped_column(Integer)
    conditions: Mapped[str] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(Text)
    contact_url: Mapped[str | None] = mapped_column(Text)


class SearchTerm(Base):
    """One (field, value) an entry can be filtered or faceted on, e.g. ("tags", "hjerte")."""

    __tablename__ = "search_terms"
    entry_pk: Mapped[int] = mapped_column(
        ForeignKey("entries.pk", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)

    __table_args__ = (Index("ix_search_terms_field_value", "field", "value", "entry_pk"),)


class FacetCount(Base):
    """How many entries have each (field, value): the facets of an unfiltered search."""

    __tablename__ = "facet_counts"
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Meta(Base):
    """Facts about the last load (base URL, site title, when)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
