"""Small widgets the screens are built from, one job each."""
