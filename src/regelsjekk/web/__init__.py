"""The Streamlit pages (thin): Sjekk idé, Batch, Oppslag."""
