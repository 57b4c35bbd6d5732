"""The Catastro de Instituciones y Organizaciones Comunitarias (Guía N°19) and the Plan de Redes
(Guía N°20) of a unit, kept by its Gestor Sociocomunitario."""
from datetime import date, datetime

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from storage.types import created_at_field


class CatastroEntry(SQLModel, table=True):
    __tablename__ = "catastro_entry"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=200)
    contact_person: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=200)
    sector: str | None = Field(default=None, max_length=120)
    phones: str | None = Field(default=None, max_length=120)
    email_web: str | None = Field(default=None, max_length=200)
    target_population: str | None = Field(default=None, sa_type=Text)
    theme: str | None = Field(default=None, max_length=200)
    dimensions: list[str] = Field(default_factory=list, sa_type=JSON)  # Matriz dimension ids
    programs_services: str | None = Field(default=None, sa_type=Text)
    access_requirements: str | None = Field(default=None, sa_type=Text)
    needs: list[str] = Field(default_factory=list, sa_type=JSON)  # program/data/needs.yaml ids
    active: bool = True
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class RedesActivity(SQLModel, table=True):
    """A row of the Plan de Redes Institucionales y Comunitarias para el Bienestar."""

    __tablename__ = "redes_activity"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int = Field(foreign_key="unit.id", index=True)
    description: str = Field(sa_type=Text)
    responsible: str = Field(max_length=200)
    indicator: str | None = Field(default=None, sa_type=Text)
    resources: str | None = Field(default=None, sa_type=Text)
    on: date | None = None
    created_at: datetime = created_at_field()
