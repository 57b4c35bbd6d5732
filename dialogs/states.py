"""Every dialog's states in one place."""
from aiogram.fsm.state import State, StatesGroup


class StaffMenu(StatesGroup):
    main = State()
    families = State()
    family = State()
    unit = State()


class FamilyMenu(StatesGroup):
    main = State()
    family = State()
    team = State()
    privacy = State()


class Language(StatesGroup):
    choose = State()
