"""The rehearsal: coach plays the other side of a call, then scores the user.

One module per job: ``files`` (personas and scorecard files, checked),
``understand`` (what the user's own words mean), ``record`` (a call's events read
for the rehearsal), ``partner`` (the simulated other side and its offer engine),
``scoring`` (the scorecard). :mod:`coach.rehearse` keeps the names front ends import.
"""
