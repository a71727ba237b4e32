"""Short, runnable code a simulated model writes when a prompt asks for code (pure data).

Each Python snippet is complete: a test executes every one, so a teacher who runs the answer's
code cell sees it work. Keys are phrases looked for in the prompt (lower case).
"""

from __future__ import annotations

# fmt: off
PYTHON: list[tuple[tuple[str, ...], str, str]] = [
    # (phrases, what it does, code)
    (("fibonacci",), "returns the first n Fibonacci numbers", '''\
def fibonacci(n: int) -> list[int]:
    """The first n Fibonacci numbers, starting 0, 1."""
    numbers = []
    a, b = 0, 1
    for _ in range(n):
        numbers.append(a)
        a, b = b, a + b
    return numbers


print(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]'''),
    (("factorial", "recursion", "recursive"), "computes n! recursively", '''\
def factorial(n: int) -> int:
    """n! = n x (n-1) x ... x 1; the base case stops the recursion."""
    if n <= 1:
        return 1
    return n * factorial(n - 1)


print(factorial(5))  # 120'''),
    (("prime",), "checks whether a number is prime", '''\
def is_prime(n: int) -> bool:
    """True when n has no divisors other than 1 and itself."""
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


print([n for n in range(20) if is_prime(n)])  # [2, 3, 5, 7, 11, 13, 17, 19]'''),
    (("palindrome",), "checks whether a text reads the same both ways", '''\
def is_palindrome(text: str) -> bool:
    """Ignore case, spaces and punctuation, then compare with the reverse."""
    letters = [c.lower() for c in text if c.isalnum()]
    return letters == letters[::-1]


print(is_palindrome("A man, a plan, a canal: Panama"))  # True'''),
    (("reverse", "reverses"), "reverses a string", '''\
def reverse(text: str) -> str:
    """A slice with step -1 walks the string backwards."""
    return text[::-1]


print(reverse("hello"))  # olleh'''),
    (("fizzbuzz", "fizz buzz"), "prints FizzBuzz", '''\
def fizzbuzz(n: int) -> list[str]:
    """Fizz for multiples of 3, Buzz for 5, FizzBuzz for both."""
    out = []
    for i in range(1, n + 1):
        word = ("Fizz" if i % 3 == 0 else "") + ("Buzz" if i % 5 == 0 else "")
        out.append(word or str(i))
    return out


print(", ".join(fizzbuzz(15)))'''),
    (("bubble sort", "bubble"), "sorts a list with bubble sort", '''\
def bubble_sort(items: list[int]) -> list[int]:
    """Swap neighbours until no pair is out of order: O(n^2), but easy to follow."""
    items = list(items)
    for end in range(len(items) - 1, 0, -1):
        for i in range(end):
            if items[i] > items[i + 1]:
                items[i], items[i + 1] = items[i + 1], items[i]
    return items


print(bubble_sort([5, 2, 9, 1, 7]))  # [1, 2, 5, 7, 9]'''),
    (("quicksort", "quick sort"), "sorts a list with quicksort", '''\
def quicksort(items: list[int]) -> list[int]:
    """Partition around a pivot, then sort both sides: O(n log n) on average."""
    if len(items) <= 1:
        return items
    pivot, *rest = items
    smaller = [x for x in rest if x < pivot]
    larger = [x for x in rest if x >= pivot]
    return quicksort(smaller) + [pivot] + quicksort(larger)


print(quicksort([5, 2, 9, 1, 7]))  # [1, 2, 5, 7, 9]'''),
    (("merge sort", "mergesort"), "sorts a list with merge sort", '''\
def merge_sort(items: list[int]) -> list[int]:
    """Split in halves, sort each, merge: always O(n log n)."""
    if len(items) <= 1:
        return items
    middle = len(items) // 2
    left, right = merge_sort(items[:middle]), merge_sort(items[middle:])
    merged = []
    while left and right:
        merged.append(left.pop(0) if left[0] <= right[0] else right.pop(0))
    return merged + left + right


print(merge_sort([5, 2, 9, 1, 7]))  # [1, 2, 5, 7, 9]'''),
    (("binary search",), "finds an item in a sorted list by halving", '''\
def binary_search(items: list[int], target: int) -> int:
    """Index of target in the sorted list, or -1: about log2(n) comparisons."""
    low, high = 0, len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        if items[middle] == target:
            return middle
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return -1


print(binary_search([1, 3, 5, 7, 9, 11], 7))  # 3'''),
    (("gradient descent",), "minimises a function with gradient descent", '''\
def gradient_descent(start: float, learning_rate: float = 0.1, steps: int = 50) -> float:
    """Minimise f(x) = (x - 3)^2 by stepping against its slope f'(x) = 2(x - 3)."""
    x = start
    for _ in range(steps):
        slope = 2 * (x - 3)
        x -= learning_rate * slope
    return x


print(round(gradient_descent(start=10.0), 4))  # close to 3, the minimum'''),
    (("linear regression",), "fits a straight line by least squares", '''\
def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least squares: slope b = cov(x, y) / var(x), intercept a = mean(y) - b mean(x)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


a, b = fit_line([1, 2, 3, 4], [2.1, 3.9, 6.2, 7.8])
print(f"y = {a:.2f} + {b:.2f}x")'''),
    (("count words", "word count", "word frequency", "count the words", "counts words",
      "frequency"), "counts how often each word appears", '''\
from collections import Counter


def word_counts(text: str) -> Counter[str]:
    """Lower-case the words and let Counter tally them."""
    return Counter(text.lower().split())


print(word_counts("the cat and the hat").most_common(2))  # [('the', 2), ('cat', 1)]'''),
    (("mean", "average"), "computes the mean of a list", '''\
def mean(values: list[float]) -> float:
    """The sum divided by the count."""
    return sum(values) / len(values)


print(mean([3, 1, 4, 1, 5]))  # 2.8'''),
    (("celsius", "fahrenheit", "temperature"), "converts Celsius to Fahrenheit", '''\
def celsius_to_fahrenheit(celsius: float) -> float:
    """F = C x 9/5 + 32."""
    return celsius * 9 / 5 + 32


print(celsius_to_fahrenheit(100))  # 212.0'''),
    (("vowel",), "counts the vowels in a text", '''\
def count_vowels(text: str) -> int:
    """How many characters are a, e, i, o or u (either case)."""
    return sum(1 for c in text.lower() if c in "aeiou")


print(count_vowels("Hello, world"))  # 3'''),
    (("list and a tuple", "list and tuple", "tuple"), "shows a list changing and a tuple "
     "refusing to", '''\
numbers = [1, 2, 3]      # a list: mutable
numbers.append(4)
point = (2.0, 3.5)       # a tuple: immutable
try:
    point[0] = 9.0
except TypeError as error:
    print("tuples cannot change:", error)
print(numbers, point)'''),
    (("sort",), "sorts a list", '''\
names = ["Charlie", "alice", "Bob"]
print(sorted(names))                    # by code point: capitals first
print(sorted(names, key=str.lower))     # case-insensitive
print(sorted(names, key=len, reverse=True))  # longest first'''),
    (("hello world", "hello, world"), "prints a greeting", '''\
print("Hello, world!")'''),
]

HELLO: dict[str, str] = {
    "python": 'print("Hello, world!")',
    "javascript": 'console.log("Hello, world!");',
    "typescript": 'const greeting: string = "Hello, world!";\nconsole.log(greeting);',
    "rust": 'fn main() {\n    println!("Hello, world!");\n}',
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n    fmt.Println("Hello, world!")\n}',
    "java": 'public class Hello {\n    public static void main(String[] args) {\n'
            '        System.out.println("Hello, world!");\n    }\n}',
    "c": '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world!\\n");\n'
         '    return 0;\n}',
    "cpp": '#include <iostream>\n\nint main() {\n    std::cout << "Hello, world!" << std::endl;'
           '\n    return 0;\n}',
    "csharp": 'System.Console.WriteLine("Hello, world!");',
    "ruby": 'puts "Hello, world!"',
    "r": 'print("Hello, world!")',
    "bash": 'echo "Hello, world!"',
    "sql": "SELECT 'Hello, world!' AS greeting;",
}

GENERIC: dict[str, str] = {
    "javascript": '''function {name}(items) {{
  // Count how often each {w} appears.
  const counts = {{}};
  for (const item of items) {{
    counts[item] = (counts[item] || 0) + 1;
  }}
  return counts;
}}

console.log({name}(["{w}", "{v}", "{w}"]));''',
    "typescript": '''function {name}(items: string[]): Record<string, number> {{
  const counts: Record<string, number> = {{}};
  for (const item of items) {{
    counts[item] = (counts[item] ?? 0) + 1;
  }}
  return counts;
}}

console.log({name}(["{w}", "{v}", "{w}"]));''',
    "sql": '''SELECT {w}, COUNT(*) AS total
FROM {table}
GROUP BY {w}
ORDER BY total DESC
LIMIT 10;''',
    "bash": '''#!/usr/bin/env bash
# Count the lines mentioning "{w}" in every .txt file here.
for file in *.txt; do
  printf '%s: %s\\n' "$file" "$(grep -ci '{w}' "$file")"
done''',
}
PYTHON_GENERIC = (
    '''def {name}(items: list[str]) -> dict[str, int]:
    """Count how often each {w} appears."""
    counts: dict[str, int] = {{}}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


print({name}(["{w}", "{v}", "{w}"]))''',
    """from dataclasses import dataclass


@dataclass
class {cls}:
    name: str
    score: float = 0.0

    def improve(self, delta: float) -> "{cls}":
        return {cls}(self.name, self.score + delta)


print({cls}("{w}").improve(0.5))""",
    '''import math


def {name}(values: list[float]) -> float:
    """Geometric mean of the {w} measurements."""
    return math.exp(sum(math.log(v) for v in values) / len(values))


print(round({name}([1.5, 2.0, 4.0]), 3))''',
)
# fmt: on
