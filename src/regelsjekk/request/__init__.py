"""A request to try something as a forsøk: the model, the request language (.forsok), the JSON form, and their errors."""
