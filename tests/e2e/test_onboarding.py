"""From the admin's invitation to the person's menu, through the fake Bot API, on a real database."""
from tests.support import seed

AFI_USER, FAMILY_USER, STRANGER = 5001, 6001, 7001


async def test_staff_member_links_with_deep_link_and_sees_menu(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    texts = await harness.say(AFI_USER, f"/start {unit.afi_code}")
    assert any("Quedaste registrado/a como Apoyo Familiar Integral en UIF Conchalí" in t for t in texts)
    assert "Hola, Carla Rojas" in texts[-1]
    assert harness.buttons(AFI_USER) == ["👥 Mis familias", "🌐 Idioma"]
    scopes = [c.params.get("scope") for c in harness.api.requests("setMyCommands")]
    assert {"type": "chat", "chat_id": AFI_USER} in scopes


async def test_family_representative_accepts_privacy_before_menu(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    texts = await harness.say(FAMILY_USER, f"/start {code}")
    assert "Ley 21.719" in texts[-1]
    assert harness.buttons(FAMILY_USER) == ["✅ Acepto", "❌ No acepto"]
    # Nothing else until consent: the menu command shows the notice again.
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, "/menu"))[-1]
    texts = await harness.tap(FAMILY_USER, "Acepto")
    assert "Hola, María" in texts[-1]


async def test_stranger_gets_kind_explanation(harness):
    texts = await harness.say(STRANGER, "hola")
    assert "necesitas un código" in texts[-1]
