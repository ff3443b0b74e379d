"""A FAKE DCC executable for the launcher tests: not Maya, not Nuke, not any application.

The tests copy this file under the name of an application's executable
(``maya``, ``Nuke15.1``) with a ``#!`` line for the test's Python, and the
launcher starts it like the real program. It writes what it was started
with (arguments, the environment, the working folder) as JSON to the file
named by ``FAKE_DCC_RECORD`` (with the time it started, for the launch
benchmark), prints ``FAKE_DCC_OUTPUT`` and exits with the
code in ``FAKE_DCC_EXIT`` (default 0). It does nothing else.
"""

import time

STARTED = time.time()  # first thing: when the process began running Python

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def main() -> int:
    record = os.environ.get("FAKE_DCC_RECORD")
    if record:
        with open(record, "w", encoding="utf-8") as fh:
            json.dump({"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd(),
                       "started": STARTED}, fh)
    print(os.environ.get("FAKE_DCC_OUTPUT", "fake dcc started"), flush=True)
    return int(os.environ.get("FAKE_DCC_EXIT", "0"))


if __name__ == "__main__":
    sys.exit(main())
