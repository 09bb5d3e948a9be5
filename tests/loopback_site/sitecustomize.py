"""Run by Python at the start of every process a test starts (conftest puts this directory on
its PYTHONPATH): the child reaches nothing past loopback either (`loopback_only`), and has the
shortcuts its test asked for by environment variable (`child_shortcuts`)."""

import child_shortcuts
import loopback_only

loopback_only.install()
child_shortcuts.install()
