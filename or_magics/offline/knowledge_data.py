"""What the simulated models know, as plain data: easy facts a teacher tries in a first demo.

Tables only (no logic): `knowledge.py` matches prompts against them. Keep entries short and
true; the answers are labelled simulated by the client, but they should not teach mistakes.
"""

from __future__ import annotations

# fmt: off
CAPITALS: dict[str, str] = {
    "afghanistan": "Kabul", "argentina": "Buenos Aires", "australia": "Canberra",
    "austria": "Vienna", "belgium": "Brussels", "brazil": "Brasília", "canada": "Ottawa",
    "chile": "Santiago", "china": "Beijing", "colombia": "Bogotá", "croatia": "Zagreb",
    "czech republic": "Prague", "czechia": "Prague", "denmark": "Copenhagen",
    "egypt": "Cairo", "england": "London", "estonia": "Tallinn", "ethiopia": "Addis Ababa",
    "finland": "Helsinki", "france": "Paris", "germany": "Berlin", "ghana": "Accra",
    "greece": "Athens", "hungary": "Budapest", "iceland": "Reykjavík", "india": "New Delhi",
    "indonesia": "Jakarta", "iran": "Tehran", "iraq": "Baghdad", "ireland": "Dublin",
    "israel": "Jerusalem", "italy": "Rome", "japan": "Tokyo", "kenya": "Nairobi",
    "mexico": "Mexico City", "morocco": "Rabat", "netherlands": "Amsterdam",
    "new zealand": "Wellington", "nigeria": "Abuja", "norway": "Oslo", "pakistan": "Islamabad",
    "peru": "Lima", "philippines": "Manila", "poland": "Warsaw", "portugal": "Lisbon",
    "romania": "Bucharest", "russia": "Moscow", "saudi arabia": "Riyadh",
    "scotland": "Edinburgh", "senegal": "Dakar", "singapore": "Singapore",
    "south africa": "Pretoria (executive), Cape Town (legislative) and Bloemfontein "
    "(judicial)", "south korea": "Seoul", "spain": "Madrid", "sweden": "Stockholm",
    "switzerland": "Bern", "thailand": "Bangkok", "turkey": "Ankara", "ukraine": "Kyiv",
    "united kingdom": "London", "uk": "London", "united states": "Washington, D.C.",
    "usa": "Washington, D.C.", "the us": "Washington, D.C.", "vietnam": "Hanoi",
    "wales": "Cardiff",
}

# Definitions: term (and aliases, "|"-separated) -> one or two sentences; some carry math.
DEFINITIONS: dict[str, str] = {
    "prime number|prime|primes|prime numbers":
        "A prime number is a whole number greater than 1 whose only divisors are 1 and "
        "itself, such as 2, 3, 5, 7 and 11. Every other whole number above 1 is a product "
        "of primes.",
    "recursion|recursive function":
        "Recursion is when a function solves a problem by calling itself on a smaller "
        "version of the same problem, until it reaches a base case simple enough to answer "
        "directly.",
    "algorithm|algorithms":
        "An algorithm is a finite, precise sequence of steps that turns an input into the "
        "desired output, like a recipe a computer can follow.",
    "variable|variables":
        "A variable is a name that refers to a value stored in memory, so a program can "
        "read and change that value later.",
    "function|functions":
        "A function is a named, reusable block of code that takes inputs (arguments), does "
        "one job and usually returns a result.",
    "loop|loops|for loop|while loop":
        "A loop repeats a block of code, either once per item of a collection (a `for` "
        "loop) or as long as a condition holds (a `while` loop).",
    "api|apis":
        "An API (application programming interface) is a contract that lets one program "
        "use another's features: the requests you may send and the answers you get back.",
    "machine learning|ml":
        "Machine learning is a way of building programs that learn patterns from example "
        "data instead of following hand-written rules, then use them to make predictions.",
    "neural network|neural networks":
        "A neural network is a model made of layers of simple units; each computes a "
        "weighted sum of its inputs, $y = \\sigma(w \\cdot x + b)$, and training adjusts the "
        "weights to reduce the error.",
    "gradient descent":
        "Gradient descent is a way to minimise a function by taking repeated small steps "
        "downhill: $\\theta \\leftarrow \\theta - \\eta\\,\\nabla f(\\theta)$, where $\\eta$ is "
        "the learning rate.",
    "linear regression":
        "Linear regression fits a straight line $y = a + bx$ to data by choosing $a$ and $b$ "
        "that make the squared errors between predictions and observations as small as "
        "possible.",
    "binary search":
        "Binary search finds an item in a sorted list by comparing it with the middle "
        "element and discarding the half that cannot contain it, so it needs only about "
        "$\\log_2 n$ comparisons, that is $O(\\log n)$.",
    "binary search tree|binary search trees|bst":
        "A binary search tree stores values in nodes so that everything in a node's left "
        "subtree is smaller and everything in its right subtree is larger; a balanced tree "
        "finds, inserts and deletes in $O(\\log n)$ steps.",
    "hash table|hash tables|hash map|hashmap|dictionary|dict":
        "A hash table (a Python `dict`) stores key-value pairs in an array, using a hash "
        "function to turn each key into a slot index, so lookups take $O(1)$ time on "
        "average; collisions are handled by chaining or probing.",
    "big o notation|big o|big-o":
        "Big O notation describes how an algorithm's running time or memory grows with the "
        "input size $n$, ignoring constants: $O(n)$ grows linearly, $O(n^2)$ quadratically.",
    "sorting algorithm|sorting algorithms|sorting":
        "A sorting algorithm puts items in order; good general-purpose ones such as "
        "mergesort and quicksort take $O(n \\log n)$ time.",
    "quicksort|quick sort":
        "Quicksort sorts by picking a pivot, partitioning the items into those smaller and "
        "larger than it, and sorting both parts recursively; it averages $O(n \\log n)$.",
    "mergesort|merge sort":
        "Mergesort splits the list in halves, sorts each half recursively and merges the "
        "sorted halves; it always takes $O(n \\log n)$ and is stable.",
    "stack|stacks":
        "A stack is a last-in, first-out collection: you push items on top and pop the "
        "most recent one off first.",
    "queue|queues":
        "A queue is a first-in, first-out collection: items join at the back and leave "
        "from the front, like people waiting in line.",
    "list|python list|lists":
        "A Python list is an ordered, mutable sequence: you can add, remove and change its "
        "items, written with square brackets like `[1, 2, 3]`.",
    "tuple|tuples":
        "A tuple is an ordered, immutable sequence: once created it cannot change, written "
        "with parentheses like `(1, 2, 3)`, which also makes it usable as a dictionary key.",
    "monad|monads":
        "A monad is a pattern from functional programming: a type that wraps values together "
        "with a way to chain operations on them (`bind`, written `>>=`), as Haskell's `Maybe` "
        "and `IO` do.",
    "class|classes|object-oriented programming|oop":
        "A class is a blueprint for objects: it bundles data (attributes) with the "
        "functions (methods) that work on it.",
    "compiler|compilers":
        "A compiler translates a program written in a high-level language into a "
        "lower-level form, such as machine code, before it runs.",
    "operating system|os":
        "An operating system is the software that manages a computer's hardware and runs "
        "other programs, for example Linux, Windows or macOS.",
    "sql":
        "SQL is the standard language for querying and changing data in relational "
        "databases, as in `SELECT name FROM users WHERE age > 30`.",
    "git":
        "Git is a version-control system: it records snapshots (commits) of a project's "
        "files so you can review history, branch and merge work safely.",
    "python":
        "Python is a general-purpose programming language known for readable syntax and a "
        "large ecosystem, popular for data science, automation and teaching.",
    "large language model|llm|llms|language model":
        "A large language model is a neural network trained on huge amounts of text to "
        "predict the next token, which lets it answer questions, write and summarise.",
    "token|tokens":
        "A token is the unit of text a language model reads and writes: a word, part of a "
        "word or a punctuation mark; in English one token is about four characters.",
    "embedding|embeddings":
        "An embedding is a list of numbers (a vector) that represents a piece of text so "
        "that texts with similar meaning get nearby vectors.",
    "fourier transform":
        "The Fourier transform decomposes a signal into the frequencies it contains, "
        "$\\hat f(\\xi) = \\int f(x)\\, e^{-2\\pi i x \\xi}\\, dx$, turning a waveform into a "
        "spectrum.",
    "derivative|derivatives":
        "The derivative $f'(x)$ measures how fast a function changes at a point: the slope "
        "of its tangent line, $\\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}$.",
    "integral|integrals":
        "An integral adds up infinitely many small pieces, for example the area under a "
        "curve, $\\int_a^b f(x)\\,dx$.",
    "median":
        "The median is the middle value of a sorted list of numbers (the mean of the two "
        "middle values when the count is even); unlike the mean it is not pulled by "
        "outliers.",
    "mean|average|arithmetic mean":
        "The mean (average) is the sum of the values divided by how many there are: "
        "$\\bar{x} = \\frac{1}{n}\\sum_i x_i$.",
    "standard deviation":
        "The standard deviation measures how spread out values are around their mean: "
        "$\\sigma = \\sqrt{\\frac{1}{n}\\sum_i (x_i - \\bar{x})^2}$.",
    "probability":
        "Probability measures how likely an event is, from 0 (impossible) to 1 (certain); "
        "for equally likely outcomes it is favourable outcomes divided by all outcomes.",
    "photosynthesis":
        "Photosynthesis is how plants, algae and some bacteria use sunlight to turn carbon "
        "dioxide and water into glucose and oxygen: "
        "$6\\,CO_2 + 6\\,H_2O \\rightarrow C_6H_{12}O_6 + 6\\,O_2$.",
    "gravity|gravitation":
        "Gravity is the attraction between masses; near Earth's surface it accelerates "
        "falling objects at about 9.8 m/s², and Newton wrote it as $F = G\\frac{m_1 m_2}{r^2}$.",
    "rainbow|rainbows":
        "A rainbow forms when sunlight enters raindrops, bends (refracts), reflects off the back "
        "of each drop and bends again on the way out; each colour bends by a slightly "
        "different angle, so white light spreads into a band from red to violet, about 42° "
        "from the point opposite the Sun.",
    "atom|atoms":
        "An atom is the smallest unit of a chemical element: a nucleus of protons and "
        "neutrons surrounded by electrons.",
    "dna":
        "DNA (deoxyribonucleic acid) is the molecule that carries genetic instructions, a "
        "double helix whose sequence of four bases (A, C, G, T) encodes genes.",
    "democracy":
        "Democracy is a system of government in which power rests with the people, who "
        "choose their representatives in free and fair elections.",
    "inflation":
        "Inflation is the rate at which the general level of prices rises, so that each "
        "unit of money buys less than before.",
    "entropy":
        "Entropy measures disorder or uncertainty; in information theory it is "
        "$H = -\\sum_i p_i \\log_2 p_i$ bits.",
    "internet":
        "The internet is the global network of networks that lets computers exchange data "
        "using shared protocols such as TCP/IP.",
    "http":
        "HTTP is the request-response protocol of the web: a client sends a request such as "
        "`GET /index.html` and the server answers with a status code, headers and a body.",
    "cloud computing|the cloud":
        "Cloud computing means renting computing resources (servers, storage, databases) "
        "over the internet on demand instead of owning the hardware.",
    "streaming":
        "Streaming sends data in small pieces as it is produced, so the receiver can start "
        "using it before the whole thing has arrived.",
    "caching|cache|caches":
        "Caching keeps copies of expensive results close at hand, so repeated requests are "
        "answered quickly instead of being recomputed.",
}

# Short facts: every keyword must appear in the question (lower case); the answer follows.
FACTS: list[tuple[tuple[str, ...], str]] = [
    (("largest", "planet"), "Jupiter is the largest planet in the Solar System."),
    (("biggest", "planet"), "Jupiter is the largest planet in the Solar System."),
    (("smallest", "planet"), "Mercury is the smallest planet in the Solar System."),
    (("closest", "sun", "planet"), "Mercury is the planet closest to the Sun."),
    (("how many", "planets"), "There are eight planets in the Solar System."),
    (("how many", "continents"), "There are seven continents."),
    (("how many", "legs", "spider"), "A spider has eight legs."),
    (("how many", "legs", "insect"), "An insect has six legs."),
    (("how many", "days", "week"), "There are 7 days in a week."),
    (("how many", "days", "year"), "A year has 365 days, or 366 in a leap year."),
    (("how many", "hours", "day"), "A day has 24 hours."),
    (("how many", "minutes", "hour"), "An hour has 60 minutes."),
    (("how many", "seconds", "minute"), "A minute has 60 seconds."),
    (("how many", "bits", "byte"), "A byte has 8 bits."),
    (("boiling", "water"), "Water boils at 100 °C (212 °F) at sea level."),
    (("boil", "water"), "Water boils at 100 °C (212 °F) at sea level."),
    (("freez", "water"), "Water freezes at 0 °C (32 °F)."),
    (("speed", "light"), "Light travels at about 299,792 km per second in a vacuum."),
    (("speed", "sound"), "Sound travels at about 343 m/s in air at 20 °C."),
    (("tallest", "mountain"), "Mount Everest is the tallest mountain above sea level, at "
     "8,849 m."),
    (("highest", "mountain"), "Mount Everest is the highest mountain above sea level, at "
     "8,849 m."),
    (("largest", "ocean"), "The Pacific is the largest ocean."),
    (("longest", "river"), "The Nile and the Amazon are both about 6,600-7,000 km long; "
     "the Nile is usually listed as the longest."),
    (("chemical symbol", "gold"), "The chemical symbol for gold is Au."),
    (("chemical symbol", "iron"), "The chemical symbol for iron is Fe."),
    (("chemical symbol", "sodium"), "The chemical symbol for sodium is Na."),
    (("formula", "water"), "The chemical formula for water is H₂O."),
    (("wrote", "hamlet"), "William Shakespeare wrote *Hamlet*, around 1600."),
    (("wrote", "romeo"), "William Shakespeare wrote *Romeo and Juliet*, in the 1590s."),
    (("wrote", "1984"), "George Orwell wrote *Nineteen Eighty-Four* (1949)."),
    (("wrote", "pride and prejudice"), "Jane Austen wrote *Pride and Prejudice* (1813)."),
    (("wrote", "war and peace"), "Leo Tolstoy wrote *War and Peace* (1869)."),
    (("wrote", "don quixote"), "Miguel de Cervantes wrote *Don Quixote* (1605-1615)."),
    (("painted", "mona lisa"), "Leonardo da Vinci painted the *Mona Lisa*, in the early "
     "1500s."),
    (("painted", "starry night"), "Vincent van Gogh painted *The Starry Night* in 1889."),
    (("discovered", "penicillin"), "Alexander Fleming discovered penicillin in 1928."),
    (("theory", "relativity"), "Albert Einstein developed the theory of relativity (special "
     "relativity in 1905, general relativity in 1915)."),
    (("first", "moon"), "Neil Armstrong was the first person on the Moon, on 20 July 1969."),
    (("world war ii", "end"), "World War II ended in 1945."),
    (("second world war", "end"), "World War II ended in 1945."),
    (("ww2", "end"), "World War II ended in 1945."),
    (("world war i", "end"), "World War I ended in 1918."),
    (("invented", "telephone"), "Alexander Graham Bell patented the telephone in 1876."),
    (("invented", "python"), "Guido van Rossum created Python; the first release was in "
     "1991."),
    (("created", "python"), "Guido van Rossum created Python; the first release was in "
     "1991."),
    (("value", "pi"), "π ≈ 3.14159, the ratio of a circle's circumference to its diameter."),
    (("what", "is pi"), "π ≈ 3.14159, the ratio of a circle's circumference to its "
     "diameter."),
    (("nearly sorted",), "Insertion sort — or Timsort, Python's built-in `sorted()`, which "
     "is built on it — because it runs in close to $O(n)$ time when only a few items are out "
     "of place."),
    (("sky", "blue"), "The sky looks blue because air molecules scatter short (blue) "
     "wavelengths of sunlight much more than long (red) ones: Rayleigh scattering."),
]

# Yes/no facts: keywords -> (True for yes, the one-sentence reason).
YES_NO: list[tuple[tuple[str, ...], bool, str]] = [
    (("earth", "flat"), False, "the Earth is very nearly a sphere, slightly flattened at "
     "the poles"),
    (("earth", "round"), True, "the Earth is very nearly a sphere"),
    (("sun", "star"), True, "the Sun is a G-type main-sequence star"),
    (("tomato", "fruit"), True, "botanically a tomato is a fruit, though it is cooked as a "
     "vegetable"),
    (("whale", "fish"), False, "whales are mammals: they breathe air and nurse their young"),
    (("penguin", "fly"), False, "penguins cannot fly; their wings have evolved into "
     "flippers for swimming"),
    (("dog", "chocolate"), False, "chocolate is toxic to dogs because of the theobromine it "
     "contains"),
    (("dog", "grape"), False, "grapes and raisins can cause kidney failure in dogs"),
    (("bat", "mammal"), True, "bats are mammals, the only ones capable of true flight"),
    (("python", "compiled"), False, "CPython compiles to bytecode but then interprets it; "
     "Python is usually called an interpreted language"),
    (("tuple", "mutable"), False, "tuples are immutable; lists are the mutable sequence"),
    (("list", "mutable"), True, "lists can be changed in place"),
    (("light", "faster", "sound"), True, "light travels about 900,000 times faster than "
     "sound in air"),
    (("sky", "blue"), True, "on a clear day, because air scatters blue light the most"),
]

# Classic comparisons: (A aliases, B aliases) -> (rows of aspect, A, B; the conclusion).
COMPARISONS: list[tuple[str, str, list[tuple[str, str, str]], str]] = [
    ("list|lists", "tuple|tuples", [
        ("Mutable", "yes", "no"), ("Syntax", "`[1, 2, 3]`", "`(1, 2, 3)`"),
        ("Usable as a dict key", "no", "yes, if its items are hashable"),
        ("Typical use", "a collection that grows or changes", "a fixed record"),
    ], "A list is mutable and a tuple is not, so use a list when the contents will change "
       "and a tuple when they should stay fixed."),
    ("quicksort|quick sort", "mergesort|merge sort", [
        ("Average time", "$O(n \\log n)$", "$O(n \\log n)$"),
        ("Worst case", "$O(n^2)$", "$O(n \\log n)$"),
        ("Extra memory", "$O(\\log n)$", "$O(n)$"), ("Stable", "no", "yes"),
    ], "Quicksort is usually faster in memory; mergesort guarantees $O(n \\log n)$ and a "
       "stable order, which matters for very large datasets and data on disk."),
    ("mean|average", "median", [
        ("Definition", "sum divided by count", "the middle value when sorted"),
        ("Outliers", "pulled by them", "barely affected"),
        ("Best for", "roughly symmetric data", "skewed data such as incomes"),
    ], "Report the median for skewed data and the mean when the data are roughly "
       "symmetric."),
    ("stack|stacks", "queue|queues", [
        ("Order", "last in, first out", "first in, first out"), ("Add", "push", "enqueue"),
        ("Remove", "pop", "dequeue"), ("Example", "an undo history", "a print queue"),
    ], "A stack serves the newest item first, a queue the oldest."),
    ("python", "javascript|js", [
        ("Typing", "dynamic, optional hints", "dynamic (TypeScript adds types)"),
        ("Runs in", "the Python interpreter", "browsers and Node.js"),
        ("Strong at", "data science, scripting, teaching", "web front ends and servers"),
    ], "Pick Python for data work and teaching, JavaScript for anything that runs in a "
       "browser."),
]

# A Python error in a prompt (%openrouter explain): its usual cause, and the usual fix.
ERRORS: dict[str, tuple[str, str]] = {
    "ZeroDivisionError": ("a number was divided by zero",
                          "check the divisor first (`if d != 0:`) or catch the error"),
    "NameError": ("a name is used before it is defined, or is misspelt",
                  "run the cell that defines it, or fix the spelling"),
    "KeyError": ("a dict (or DataFrame) has no such key or column",
                 "check the key (`print(d.keys())`), or use `d.get(key)`"),
    "IndexError": ("an index is past the end of a list",
                   "check the length (`len(items)`) before indexing"),
    "TypeError": ("a value of the wrong type was given to an operation or function",
                  "convert it first (`int(...)`, `str(...)`), or pass what the function takes"),
    "AttributeError": ("the object has no attribute of that name (often it is None)",
                       "check what the object is (`type(x)`) and the attribute's spelling"),
    "ValueError": ("a value has the right type but a wrong value",
                   "check the input it was given, e.g. text that is not a number"),
    "ModuleNotFoundError": ("the package is not installed in this kernel's environment",
                            "`%pip install` it in the notebook, then restart the kernel"),
    "FileNotFoundError": ("the path does not exist, relative to the notebook's folder",
                          "check `os.getcwd()` and the file name, or give a full path"),
}

LISTS: dict[str, list[str]] = {
    "planet": ["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"],
    "continent": ["Africa", "Antarctica", "Asia", "Australia (Oceania)", "Europe",
                  "North America", "South America"],
    "ocean": ["Pacific", "Atlantic", "Indian", "Southern", "Arctic"],
    "colours of the rainbow|colors of the rainbow|rainbow": [
        "Red", "Orange", "Yellow", "Green", "Blue", "Indigo", "Violet"],
    "primary colour|primary color": ["Red", "Yellow", "Blue"],
    "colours of the french flag|colors of the french flag|french flag": ["Blue", "White",
                                                                        "Red"],
    "prime number|prime": ["2", "3", "5", "7", "11", "13", "17", "19", "23", "29"],
    "day of the week|days of the week|weekday": [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "noble gas": ["Helium", "Neon", "Argon", "Krypton", "Xenon", "Radon"],
    "programming language": ["Python", "JavaScript", "Java", "C", "C++", "Go", "Rust",
                             "TypeScript", "SQL", "R"],
    "sorting algorithm": ["Mergesort", "Quicksort", "Heapsort", "Insertion sort",
                          "Bubble sort", "Timsort"],
    "data structure": ["Array (list)", "Hash table (dict)", "Stack", "Queue",
                       "Linked list", "Tree", "Graph"],
}

# Generic list items by what the prompt asks for (the head noun): "{t}" is the topic.
LIST_ITEMS: dict[str, list[str]] = {
    "use|uses|application|applications|use case|use cases": [
        "**Forecasting** — using {t} to predict future values from past data",
        "**Explaining relationships** — using {t} to show which factors matter, and how much",
        "**Decision support** — comparing options with {t} before committing",
        "**Quality control** — spotting unusual results early with {t}",
        "**Teaching** — {t} as a clear first example in a lesson",
        "**Research** — testing a hypothesis with {t}",
    ],
    "benefit|benefits|advantage|advantages|pro|pros": [
        "**Long-term payoff** — the effort put into {t} keeps paying back",
        "**Confidence** — {t} gives a clearer sense of what works",
        "**Good habits** — {t} builds routines that stick",
        "**Wellbeing** — people often feel better with {t} in their lives",
        "**Transferable skills** — what {t} teaches carries over elsewhere",
        "**Shared experience** — {t} is easy to enjoy with others",
    ],
    "disadvantage|disadvantages|drawback|drawbacks|con|cons|risk|risks": [
        "**Up-front effort** — {t} takes time to set up well",
        "**Hidden costs** — maintaining {t} is easy to underestimate",
        "**Edge cases** — {t} can behave surprisingly on unusual inputs",
        "**Lock-in** — moving away from {t} later can be hard",
        "**Learning curve** — the details of {t} take practice",
    ],
    "plan|plans|step|steps|stage|stages": [
        "**Set the goal** — decide what a good {t} looks like",
        "**Gather what you need** — the people, things and time {t} takes",
        "**Pick a time and place** — and a backup in case plans change",
        "**Prepare in advance** — whatever can be done the day before",
        "**Do a final check** — confirm the details on the day",
        "**Enjoy it, then review** — note what to do differently next time",
    ],
    "tip|tips|way|ways|idea|ideas|strategy|strategies": [
        "**Start small** — try {t} on one simple case first",
        "**Measure** — decide how you will know that {t} worked",
        "**Write it down** — keep notes on what you tried with {t}",
        "**Ask for feedback** — a second opinion on {t} catches blind spots",
        "**Iterate** — improve {t} one change at a time",
        "**Automate the boring parts** — let tools handle the repetitive side of {t}",
    ],
    "reason|reasons|cause|causes|why": [
        "**It is useful** — {t} solves problems people really have",
        "**It is in demand** — many people look for experience with {t}",
        "**It builds on itself** — what you learn about {t} carries over",
        "**It is well supported** — good guides and communities exist for {t}",
        "**Progress is visible** — results with {t} come quickly and are easy to see",
    ],
    "example|examples|type|types|kind|kinds|fact|facts|thing|things": [
        "**A classic case** — the textbook example of {t}",
        "**An everyday one** — {t} as most people meet it",
        "**A surprising one** — where {t} shows up unexpectedly",
        "**A historical one** — how {t} looked in the past",
        "**A modern one** — {t} in today's tools",
        "**An extreme one** — {t} at its limits",
    ],
}

# A haiku: line 1 carries the topic; the fixed part's syllables are given with each template.
HAIKU_FIRST: list[tuple[str, int]] = [
    ("{T}", 0), ("{T} hums", 1), ("{T} waits", 1), ("the {T} sleeps", 2),
    ("{T} at dusk", 2), ("{T} at first light", 3), ("the silent {T}", 3),
    ("grey {T} at dawn", 3), ("a cold {T} at dawn", 4), ("{T} in the moonlight", 4),
    ("slow {T} in the rain", 4), ("{T}, and then silence", 4),
]
HAIKU_MIDDLE: dict[str, list[str]] = {
    "nature": [
        "waves fold the light into foam", "a slow wind carries the salt",
        "the long shadows drift and turn", "a bird writes lines on the sky",
        "an old song is listening", "the world leans close, then lets go",
        "cold light pools in the hollows",
    ],
    "code": [
        "a cursor blinks in the dark", "each loop returns to its start",
        "the tests turn green one by one", "small functions call each other",
    ],
}
HAIKU_LAST: dict[str, list[str]] = {
    "nature": [
        "and the tide goes out", "the long day lets go", "nothing stays the same",
        "a door swings open", "the stones keep their peace", "home is still so far",
    ],
    "code": [
        "and the build passes", "one more bug to fix", "the stack unwinds slow",
        "it compiles at last",
    ],
}
CODE_WORDS = frozenset(
    """
    code python function program bug loop recursion algorithm compiler software computer
    data database api server javascript variable class debug script git sql test
    """.split()  # noqa: SIM905
)

JOKES = {
    "code": [
        "Why do programmers prefer dark mode? Because light attracts bugs.",
        "I told my computer I needed a break, and it said: “No problem — I'll go to sleep.”",
        "There are 10 kinds of people in the world: those who understand binary and those "
        "who don't.",
        "A SQL query walks into a bar, goes up to two tables and asks: “Can I join you?”",
    ],
    "general": [
        "Why did the scarecrow win an award? Because he was outstanding in his field.",
        "Why don't scientists trust atoms? Because they make up everything.",
        "What do you call a fish with no eyes? A fsh.",
        "I'm reading a book about anti-gravity. It's impossible to put down.",
    ],
}

# Common phrases in four languages: English -> {language: translation}.
TRANSLATIONS: dict[str, dict[str, str]] = {
    "hello": {"french": "bonjour", "spanish": "hola", "german": "hallo", "italian": "ciao"},
    "goodbye": {"french": "au revoir", "spanish": "adiós", "german": "auf Wiedersehen",
                "italian": "arrivederci"},
    "thank you": {"french": "merci", "spanish": "gracias", "german": "danke",
                  "italian": "grazie"},
    "please": {"french": "s'il vous plaît", "spanish": "por favor", "german": "bitte",
               "italian": "per favore"},
    "good morning": {"french": "bonjour", "spanish": "buenos días", "german": "guten Morgen",
                     "italian": "buongiorno"},
    "good night": {"french": "bonne nuit", "spanish": "buenas noches", "german": "gute Nacht",
                   "italian": "buona notte"},
    "yes": {"french": "oui", "spanish": "sí", "german": "ja", "italian": "sì"},
    "no": {"french": "non", "spanish": "no", "german": "nein", "italian": "no"},
    "cat": {"french": "chat", "spanish": "gato", "german": "Katze", "italian": "gatto"},
    "dog": {"french": "chien", "spanish": "perro", "german": "Hund", "italian": "cane"},
    "water": {"french": "eau", "spanish": "agua", "german": "Wasser", "italian": "acqua"},
    "friend": {"french": "ami", "spanish": "amigo", "german": "Freund", "italian": "amico"},
    "i love you": {"french": "je t'aime", "spanish": "te quiero", "german": "ich liebe dich",
                   "italian": "ti amo"},
    "how are you": {"french": "comment allez-vous ?", "spanish": "¿cómo estás?",
                    "german": "wie geht es dir?", "italian": "come stai?"},
}

GREETINGS = (
    "Hello! How can I help you today? You can ask me a question, or ask for a list, a "
    "table, some code or a haiku.",
    "Hi there! What would you like to talk about? A quick fact, an explanation, some code — "
    "just ask.",
    "Hello! Ready when you are: ask me anything, from simple arithmetic to a detailed "
    "report.",
)

# Sentiment words for one-word labels (positive / negative / neutral).
POSITIVE = frozenset(
    """
    good great excellent amazing love loved lovely wonderful fantastic happy delighted
    best perfect awesome nice brilliant enjoy enjoyed pleased recommend superb fast
    friendly helpful beautiful impressive glad like liked
    """.split()  # noqa: SIM905
)
NEGATIVE = frozenset(
    """
    bad terrible awful hate hated horrible poor worst disappointing disappointed slow
    broken rude angry sad useless boring annoying waste refund never problem problems
    wrong fail failed failure dirty expensive late
    """.split()  # noqa: SIM905
)
# fmt: on
