"""The web console of departments (DDO, HOD, administrative secretary) and HRD."""
