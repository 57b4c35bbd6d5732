"""Right of access and portability (Ley 21.719): everything stored about a person and their family, as
a zip of JSON files (one per table) plus a readable document in the person's language.

One function for the chat (📦 Descargar mis datos) and the CLI (`subject-export`); authorised here and
audited. Voice notes and photos are listed with their date and Telegram file id (the CLI can fetch them).
"""
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_manage_unit
from program.roles import Role
from services import audit
from services.errors import NotAllowed, NotFound
from storage import audit_repo, people_repo, subject_repo

# The columns of the audit trail a person gets about themselves: what was done, to which record, when.
AUDIT_FIELDS = ("id", "at", "actor_type", "action", "record_type", "record_id")
# Audit record types and the exported table holding those records.
AUDITED_TABLES = {"member": "members", "chat_account": "chat_accounts", "session_record": "session_records",
                  "visit": "visits", "matriz_state": "matriz_states", "commitment": "commitments",
                  "cuaderno_entry": "cuaderno_entries", "bono_followup": "bono_answers",
                  "group_invitation": "group_invitations", "correction_request": "correction_requests"}


@dataclass(frozen=True)
class MediaItem:
    table: str
    row_id: int
    kind: str  # voice | photo
    file_id: str
    at: str | None  # ISO date and time of the row


@dataclass
class SubjectExport:
    member_id: int
    family_id: int
    unit_id: int
    created_at: datetime
    tables: dict[str, list[dict]] = field(default_factory=dict)
    media: list[MediaItem] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _plain(row) -> dict:
    if isinstance(row, SQLModel):
        return row.model_dump(mode="json")
    return json.loads(json.dumps(row, default=lambda value: value.isoformat()))


def _media(table: str, rows: list[dict]) -> list[MediaItem]:
    found = []
    for row in rows:
        for name, value in row.items():
            if name.endswith("file_id") and name != "file_unique_id" and value:
                kind = "photo" if row.get("content_type") == "photo" else "voice"
                at = row.get("created_at") or row.get("at") or row.get("updated_at")
                found.append(MediaItem(table, row["id"], kind, value, at))
    return found


def _may_export(actor: Actor, member, family) -> bool:
    if actor.role is Role.FAMILY:  # a person asks for their own copy, which includes their family's records
        return actor.member_id == member.id and actor.family_id == family.id
    return actor.role is Role.ADMIN or can_manage_unit(actor, family.unit_id)


async def build(session: AsyncSession, *, actor: Actor, member_id: int, now: datetime) -> SubjectExport:
    member = await people_repo.get_member(session, member_id=member_id)
    family = await people_repo.get_family(session, family_id=member.family_id) if member else None
    if member is None or family is None:
        raise NotFound("member")
    if not _may_export(actor, member, family):
        await audit.record(session, actor=actor, action="denied.subject.export", record_type="member",
                           record_id=member_id)
        raise NotAllowed("member")
    rows = await subject_repo.family_rows(session, family_id=family.id)
    staff = [await people_repo.get_staff(session, staff_id=i)
             for i in (family.afi_id, family.gestor_socio_id, family.gestor_familiar_id) if i is not None]
    export = SubjectExport(member_id=member.id, family_id=family.id, unit_id=family.unit_id, created_at=now)
    export.tables["family"] = [_plain(family)]
    export.tables["team"] = [{"id": s.id, "name": s.name, "role": s.role} for s in staff if s is not None]
    for name, table_rows in rows.items():
        export.tables[name] = [_plain(row) for row in table_rows]
    member_ids = [m["id"] for m in export.tables["members"]]
    records = {"family": [family.id], **{kind: [r["id"] for r in export.tables[table]]
                                         for kind, table in AUDITED_TABLES.items()}}
    events = await audit_repo.events_about(session, actor_member_ids=member_ids, records=records)
    export.tables["audit_events"] = [{name: _plain({name: getattr(e, name)})[name] for name in AUDIT_FIELDS}
                                     for e in events]
    # Consents: when each linked person accepted the notice (and the trail's consent events above).
    export.tables["consents"] = [{"member_id": a["member_id"], "chat_account_id": a["id"],
                                  "accepted_at": a["consent_at"]} for a in export.tables["chat_accounts"]]
    for name, table_rows in export.tables.items():
        export.media += _media(name, table_rows)
    await audit.record(session, actor=actor, action="subject.export", record_type="member", record_id=member.id,
                       unit_id=family.unit_id)
    return export


def zip_bytes(export: SubjectExport, *, document_name: str, document: str) -> bytes:
    """data/<table>.json for machines, media.json listing voice notes and photos, and the document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in export.tables.items():
            archive.writestr(f"data/{name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
        archive.writestr("data/media.json", json.dumps([vars(item) for item in export.media], ensure_ascii=False,
                                                       indent=2))
        archive.writestr(document_name, document)
    return buffer.getvalue()
