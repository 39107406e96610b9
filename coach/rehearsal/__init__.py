"""The rehearsal: coach plays the other side of a call, then scores the user.

One module per job: ``reader`` (what the rehearsal files' readers share), ``personas`` and
``scorecard_file`` (each file read and checked), ``files`` (the folder as a whole, checked and
cached), ``understand`` (what the user's own words mean), ``record`` (a call's events read for the
rehearsal), ``partner`` (the simulated other side and its offer engine), ``scoring`` (the scorecard).
"""
