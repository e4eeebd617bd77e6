"""The made-up local news story the stage tests share: a city council budget vote."""

TITLE = "Council approves $4.2bn budget after late-night vote"
PARAGRAPHS = [
    "The Riverside city council approved a $4.2 billion budget for the coming fiscal year on "
    "Tuesday night, ending weeks of negotiations over police funding and library hours.",
    "The spending plan passed 9-4 shortly before midnight, after council members rejected an "
    "amendment that would have moved $12 million from the police overtime account to the public "
    "library system.",
    "“This budget keeps every library branch open six days a week,” said council president "
    "Denise Carter, who negotiated the final compromise with the mayor’s office.",
    "Critics said the plan relies on optimistic sales tax projections and leaves the city exposed "
    "if the regional economy slows next year.",
]
