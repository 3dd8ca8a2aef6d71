"""Products: leaflet PDFs, loudspeaker audio, interpreter cards."""
