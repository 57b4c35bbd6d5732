"""The answer buttons under the monthly Bono question (an outbox row's buttons: msgids translated when sent).
Their callback data is what handlers/bono.BonoAnswer(prefix "bono": month, answer) packs and reads."""


def N_(msgid: str) -> str:  # marks a msgid for Babel; translated when the message is rendered
    return msgid


def answer_data(month: str, answer: str) -> str:
    return f"bono:{month}:{answer}"


def bono_buttons(month: str) -> list[list[dict]]:
    return [[{"text": N_("✅ Sí, lo cobré"), "data": answer_data(month, "cobrado")},
             {"text": N_("⏳ Todavía no"), "data": answer_data(month, "todavia_no")}],
            [{"text": N_("⚠️ Tengo un problema"), "data": answer_data(month, "problema")}]]
