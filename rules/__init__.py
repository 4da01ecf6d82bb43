"""Default rule packs, installed as ``hedgecheck.packs`` (data only)."""
