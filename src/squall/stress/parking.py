"""Keep each test class's fixtures alive in a worker while it runs other tests.

pytest sets fixtures up along an item's chain (session, module, class) in one stack
and tears down whatever the next item does not share. A stress worker runs tests in
any order, so instead of tearing a class down when the next test is elsewhere, its
stack entries are *parked* (kept with their finalizers) and put back when one of its
tests runs again; everything is torn down once, when the worker stops. A class-scoped
fixture shared by several classes is still re-created by pytest on a switch.

This reaches into pytest's ``SetupState.stack`` (an ordered ``node -> (finalizers,
exception)`` mapping), the one piece of pytest internals stress mode depends on.
"""

from __future__ import annotations

from typing import Any

import pytest


class Parking:
    """The parked stack entries of one worker process."""

    def __init__(self) -> None:
        self._parked: dict[Any, Any] = {}

    def prepare(self, item: pytest.Item) -> None:
        """Make the setup stack a prefix of ``item``'s chain: park what is not on it,
        restore what was parked and is."""
        state = item.session._setupstate
        chain = item.listchain()
        while state.stack and list(state.stack) != chain[: len(state.stack)]:
            node, entry = state.stack.popitem()
            self._parked[node] = entry
        for node in chain[len(state.stack) : -1]:
            if node not in self._parked:
                break
            state.stack[node] = self._parked.pop(node)

    def teardown_all(self, session: pytest.Session) -> None:
        """Tear down the parked entries (deepest first), then the live stack."""
        errors: list[BaseException] = []
        parked = sorted(self._parked.items(), key=lambda pair: -len(pair[0].listchain()))
        self._parked.clear()
        for _, (finalizers, _) in parked:
            for fin in reversed(finalizers):
                try:
                    fin()
                except Exception as exc:  # every finalizer runs; the first error is raised
                    errors.append(exc)
        try:
            session._setupstate.teardown_exact(None)
        except Exception as exc:
            errors.append(exc)
        if errors:
            raise errors[0]
