"""A child process for the concurrency and kill tests: it writes to the record PLAYBOOK_STORE names.

    writer.py notes INCIDENT NAME COUNT   COUNT notes, one command each (through the service)
    writer.py loop INCIDENT NAME          batches of three events in one transaction, until killed
"""

from __future__ import annotations

import sys

from playbook.record import ids
from playbook.record.backends import open_store
from playbook.record.model import NewEvent, format_time
from playbook.record.service import Service, utcnow


def main(argv: list[str]) -> None:
    mode, incident, name = argv[:3]
    store = open_store(format_time(utcnow()))
    if mode == "notes":
        service = Service(store, name)
        for i in range(int(argv[3])):
            service.store.append(incident, [service._event("note", {"text": f"{name}-{i}"})])
        return
    batch = 0
    while True:  # killed from outside
        batch += 1
        events = [NewEvent(ids.new_event_id(), format_time(utcnow()), name, "note",
                           {"text": f"{name}-{batch}-{part}" + "x" * (batch % 7) * 500, "batch": f"{name}-{batch}"})
                  for part in range(3)]
        store.append(incident, events)
        print(batch, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
