"""Words shared by the chat (dialogs/, handlers/) and the messages the bot sends on its own (the outbox):
the gettext catalogs, the N_ marker, the Catastro's texts, what each scheduled message says. No aiogram
here, and nothing from bot/ or dialogs/, so every layer that speaks to people may import it."""
