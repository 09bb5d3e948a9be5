"""Run by Python at the start of every process a test starts (conftest puts this directory first
on its PYTHONPATH): the child reaches nothing past loopback either (`loopback_only`)."""

import loopback_only

loopback_only.install()
