"""Who is at the station: pick yourself from the active users (type the first letters, press Enter)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.states import role_name
from app.gui.tasks import Person
from app.gui.translations import Retranslating

ADD_ADMIN_COMMAND = "refurb-station user add NAME --role admin"


class SignInDialog(Retranslating, QDialog):
    signed_in = Signal(object)  # Person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(420)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.users = QListWidget()
        self.prompt.setBuddy(self.users)
        # Our own accept button, not the standard OK renamed: the box gives standard buttons their own text back
        # on a language switch.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setEnabled(False)
        self._people: Sequence[Person] | None = None
        self._error = ""
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.users, 1)
        layout.addWidget(self.buttons)
        self.sign_in_button.setDefault(True)  # once in the dialog: Enter signs in
        self._connect_signals()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in"))
        self.users.setAccessibleName(self.tr("Users"))
        self.sign_in_button.setText(self.tr("Sign in"))
        if self._error:
            return
        if self._people is None:
            self.prompt.setText(self.tr("Loading users…"))
        elif self._people:
            self.prompt.setText(
                self.tr("Who is at the station? Type the first letters of your name, then press Enter.")
            )
            for row, person in enumerate(self._people):
                self.users.item(row).setText(f"{person.name}  —  {role_name(person.role)}")
        else:
            self.prompt.setText(
                self.tr("No users yet. Create the first administrator from a terminal:\n%1").replace(
                    "%1", ADD_ADMIN_COMMAND
                )
            )

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.users.itemDoubleClicked.connect(self.accept)

    def show_loading(self) -> None:
        self.users.clear()
        self.users.hide()
        self.sign_in_button.setEnabled(False)
        self._people, self._error = None, ""
        self.retranslate()

    def set_users(self, people: Sequence[Person]) -> None:
        self.users.clear()
        self._people, self._error = tuple(people), ""
        for person in people:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.users.addItem(item)
        self.retranslate()
        if people:
            self.users.keyboardSearch("")  # forget letters typed into the previous list
            self.users.setCurrentRow(0)
            self.users.setFocus()
        self.users.setVisible(bool(people))
        self.sign_in_button.setEnabled(bool(people))

    def show_error(self, text: str) -> None:
        self._error = text
        self.prompt.setText(text)
        self.users.hide()
        self.sign_in_button.setEnabled(False)

    def selected(self) -> Person | None:
        item = self.users.currentItem()
        person: Person | None = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return person

    def accept(self) -> None:
        person = self.selected()
        if person is None:
            return
        super().accept()
        self.signed_in.emit(person)
