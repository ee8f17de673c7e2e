"""Account and management locks of an Android phone: Google account (FRP), Samsung account (Reactivation Lock),
device or profile owner (MDM). Unreadable stays unknown, which blocks like a lock does."""

from __future__ import annotations

from audit.readings import LockCheck, LockState, LockStatus
from drivers.android import parsers
from drivers.android.errors import AdbProtocolError, CommandFailed, CommandTimeout
from drivers.android.shell import PhoneShell

NOT_A_LAPTOP = LockCheck(LockState.NOT_APPLICABLE, "laptop firmware lock: none on a phone")


def read_locks(phone: PhoneShell) -> LockStatus:
    accounts_text = _lock_source(phone, "dumpsys account")
    policy_text = _lock_source(phone, "dumpsys device_policy")
    accounts = parsers.parse_accounts(accounts_text)
    google = _account_lock(accounts, parsers.GOOGLE_ACCOUNT_TYPE, "Google account (FRP)", accounts_text)
    samsung = _account_lock(accounts, parsers.SAMSUNG_ACCOUNT_TYPE, "Samsung account", accounts_text)
    policy = parsers.parse_device_policy(policy_text)
    if not policy.recognised:
        mdm = LockCheck(LockState.UNKNOWN, f"dumpsys device_policy unreadable: {policy_text[:80]!r}")
    elif policy.device_owner:
        mdm = LockCheck(LockState.ON, f"device owner {policy.device_owner} (dumpsys device_policy)")
    elif policy.profile_owners:
        mdm = LockCheck(LockState.ON, f"work profile owned by {', '.join(policy.profile_owners)}")
    else:
        admins = f"; device admins: {', '.join(policy.admins)}" if policy.admins else ""
        # The owner's own vault (Samsung Secure Folder) owns a profile too; the reset removes it: say why it passed
        vaults = "".join(f"; {package} is the owner's vault, removed by the reset" for package in policy.containers)
        mdm = LockCheck(LockState.OFF, f"no device or profile owner (dumpsys device_policy){admins}{vaults}")
    return LockStatus(
        source="adb dumpsys account, dumpsys device_policy",
        icloud=LockCheck(LockState.NOT_APPLICABLE, "Android phone"),
        google_frp=google,
        samsung=samsung,
        mdm=mdm,
        firmware_password=NOT_A_LAPTOP,
        computrace=NOT_A_LAPTOP,
    )


def _lock_source(phone: PhoneShell, command: str) -> str:
    try:
        return phone.shell(command).output
    except (CommandTimeout, CommandFailed, AdbProtocolError) as exc:
        return f"<{exc}>"


def _account_lock(accounts: parsers.AccountsDump, kind: str, label: str, raw: str) -> LockCheck:
    if not accounts.recognised:
        return LockCheck(LockState.UNKNOWN, f"dumpsys account unreadable: {raw[:80]!r}")
    names = accounts.of_type(kind)
    if names:
        masked = ", ".join(parsers.mask_account(name) for name in names)
        return LockCheck(LockState.ON, f"{label} signed in: {masked} (type {kind})")
    return LockCheck(LockState.OFF, f"no account of type {kind} (dumpsys account)")
