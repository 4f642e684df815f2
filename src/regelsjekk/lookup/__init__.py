"""Looking a provision up for guidance staff: the provision view, the picker's search and the neighbourhood."""
