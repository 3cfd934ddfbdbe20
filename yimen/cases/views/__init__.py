"""The case pages (issue 5 parts 6–7): intake desk, inbox and lists, case detail with its
actions, supervision board, receipt and the citizen's progress page. Views read through
selectors and change nothing themselves: every step is a service call."""
