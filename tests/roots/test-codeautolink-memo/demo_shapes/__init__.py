"""Shapes the demo page's code uses."""


class Square:
    def area(self) -> int:
        return 4


class Circle:
    def area(self) -> float:
        return 3.14


def make() -> Square:
    return Square()
