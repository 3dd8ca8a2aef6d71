"""Planning: loudspeaker acoustics and leaflet drift. Depends on nothing above it."""
