r"""A strict reader of the LaTeX that derivations are written in, giving SymPy through a notation.

``parse_math`` reads the body of one display-math block (a ```` ```math ```` fence or ``$$ … $$``)
into rows of statements. It never guesses: what it does not know, or what reads two ways, is a
``ParseError`` with the file, line, column and the offending text.

How it works, one module per stage: ``lexer`` turns the LaTeX into tokens (with the tables of
``vocabulary``), removes what is invisible (colour, spacing, sizes of ``\left``/``\right``),
tells apart the roles of ``|`` and ``\|``, and splits environments into rows; ``grammar`` parses
each row by the LALR grammar in ``latex.lark``; ``reader`` reads the tree into SymPy; ``parse``
joins them into ``parse_math``.

Structure
    ``\begin{aligned}`` (also ``align``, ``align*``, ``split``, ``gathered``, ``gather``,
    ``gather*``; ``equation``/``equation*`` around one of them or around one row) splits on
    ``\\`` into rows. In a row, ``&`` number 1, 3, 5 … marks alignment and is dropped, ``&`` number
    2, 4 … separates columns, hence statements. A block without environment is one row. A row
    that starts with ``&`` then ``+``, ``-``, ``\cdot`` or ``\times`` goes on with the previous
    row's last expression (a long expression broken over lines); a row that starts with a
    relation (``&= …``) goes on with its chain: ``Row.continues`` is set and the row's first
    statement has as many relations as items, the first joining it to the previous row's last
    item (a block without environment that starts with a relation is such a row too). Statements
    in a row are separated by a top-level ``,``, by ``\quad``/``\qquad``
    between a complete factor and the next statement, by a column ``&``, or by ``\text{where}``,
    ``\text{and}``, ``\text{for}`` and the like; when a row holds several statements, each must
    state a relation. ``\tag{71}``, and ``(71)`` alone in a last column (``&&(71)``) or after
    ``\qquad``, set ``Row.tag``. A ``\text{…}`` alone at the end of a row is a comment.

Names
    A letter, a Greek macro, or ``\mathcal{L}``; accents ``\bar`` (= ``\overline``), ``\tilde``
    (= ``\widetilde``), ``\hat`` (= ``\widehat``) give the canonical base ``\bar{\alpha}``;
    ``\mathbf``, ``\boldsymbol``, ``\bm`` are dropped (vectors are read per coordinate). A
    subscript is an index expression (integers, letters, Greek, ``\text{…}``, ``+``, ``-``):
    ``t`` and ``i`` are the notation's, other letters integer symbols, Greek letters plain symbols
    (``p_\theta``); ``notation.resolve(base, index)`` gives the symbol. ``\bar{\alpha_t}`` is
    ``\bar{\alpha}_t``. A superscript is a power (``\tilde{\sigma}_t^2``), except that a bold
    name's ``^T`` is refused as a transpose. ``\pi`` is π and ``e^{…}`` the exponential; a bare
    ``e`` is refused; ``\pi_\theta`` and ``e_1`` are names. ``I`` is the identity symbol ``I``. A
    sequence of the notation alone (``\alpha`` without subscript) is refused.

Numbers
    Integers and decimals (exactly: ``0.02`` is 1/50). A number may only start a juxtaposition
    (``2x``, not ``x 2``). A one-token argument is one digit, as in TeX: ``\frac12`` is 1/2,
    ``x^23`` and ``\frac123`` are refused as ambiguous. Exponents beyond ±1000, and numeric
    powers of more than 10000 digits, are refused.

Application or multiplication — a name directly followed by ``( … )``
    * with a conditional bar (``|``, ``\mid``, ``\middle|``) inside: a density,
      ``q(x_t|x_{t-1})`` is ``Density(q, [x_t], [x_{t-1}])``; a name the notation marks as a
      density needs no bar: ``q(x_t)`` is ``Density(q, [x_t])``;
    * with a comma at its top level: an undefined function, ``C(x_t, x_0)`` is
      ``Function("C")(x_t, x_0)`` (named by the notation's LaTeX, e.g. ``\tilde{\mu}_t``);
    * otherwise a product: ``\beta_t(1-\bar{\alpha}_{t-1})`` is β_t·(1-ᾱ_{t-1}), and ``y(x_t)`` is
      y·x_t; except for a calligraphic name, where it is refused as ambiguous. Such a product
      cannot be the bare argument of ``\log`` or a divisor (``\log x(a+b)``, ``a/x(b)`` are
      refused).
    A power after the bracket belongs to it: ``x(a+b)^2`` is x·(a+b)², ``q(x|y)^2`` the density squared.
    ``\mathcal{N}(z; \mu, \sigma^2 I)`` is ``Gaussian(z, mu, sigma**2)``: the ``;`` form is
    required and the variance must be written ``v I`` (or ``v \mathbf{I}``).

Functions and operators
    ``\log``/``\ln``/``\exp`` take a bracketed argument (``\log(x)``, ``\exp\left[…\right]``,
    ``\exp\{…\}``) or one factor (``\log x``, ``\log q(x|y)``, ``\log \log x``); nothing may be
    juxtaposed after an unbracketed argument (``\log 2\pi\sigma^2`` is refused).
    ``\sum_{i=1}^{t}``, ``\prod_{i=1}^{t}`` and ``\lim_{v \to a}`` take the rest of the product
    (up to the next ``+``, ``-``, relation or separator) and stay unevaluated; a limit is two-sided
    unless written ``\to a^-`` or ``\to a^+``. A summation index
    in a subscript must index a sequence of the notation (``\alpha_i``); ``x_j`` under
    ``\sum_j`` is refused, since ``x_j`` is one symbol. ``\frac``, ``\dfrac``, ``\tfrac``,
    ``\sqrt``, ``\sqrt[n]``, ``\cdot``, ``\times`` and one ``a/b`` (by a single factor; ``a/b c`` is
    refused). ``\frac{d}{dx}``, ``\frac{dy}{dt}`` are refused rather than read as quotients.

Derivatives, expectations, divergences
    ``\nabla_{x} E`` and ``\frac{\partial}{\partial x} E`` are ``Derivative(E, x)`` (read per
    coordinate), where E is the rest of the product, as for ``\sum``: ``\nabla_x a x + b`` is
    (∇ₓ a x) + b; ``\frac{\partial E}{\partial x}`` is one factor. ``\mathbb{E}_{x \sim
    \mathcal{N}(m, v)}[f]`` (the variance ``v`` or ``v I``) is ``Expectation(f, x, m, v)``; an
    expectation without that subscript, or over another distribution, is refused. ``D_{\mathrm{KL}}(p
    \| q)`` (also ``D_{KL}``, ``D_{\text{KL}}``, ``\mathrm{KL}``, ``\operatorname{KL}``, with
    ``\middle\|`` or ``\|``) is ``KL(p, q)`` of two densities or Gaussians ``\mathcal{N}(x; m, v I)``.

Brackets
    ``( )``, ``[ ]``, ``\{ \}``, with ``\left``/``\right`` or ``\big`` … ``\Bigg`` (``l``/``r``)
    sizes, group. ``|v|`` is ``Abs``, ``\|v\|`` (and ``\|v\|_2``) is ``Norm``. A ``|`` closes an open
    ``|`` after an operand, is a conditional bar inside ``( )`` after an operand, and otherwise
    opens an absolute value; a ``\|`` after an operand right inside a divergence's ``( )``
    separates its two densities. Braces ``{a+b}`` are invisible in TeX, so a braced sum next to
    anything else is refused as ambiguous.

Relations and sets
    ``=``, ``\propto``, ``\approx``, ``\in``, ``\neq``, ``\leq``, ``\geq``, ``<``, ``>`` (named
    "=", "propto", "approx", "in", "ne", "le", "ge", "lt", "gt"). After ``\in``: an interval
    ``(0,1)``, ``[0,1]``, ``(0,1]``; ``\mathbb{R}`` (also ``\mathbb{R}^d``, read per coordinate),
    ``\mathbb{Z}``, ``\mathbb{C}``; a range ``\{1, \dots, T\}``. ``x \sim \mathcal{N}(m, v)`` (or
    ``v I``) is a statement of its own, relation "sim", whose right item is ``Tuple(m, v)``.

Invisible
    ``\color{c}{…}``, ``{\color{c} …}``, ``\textcolor{c}{…}`` (removed with their braces, which may
    cross brackets: ``\color{red}{(a + b}) c`` is (a + b)·c, ``\color{red}{(a + b}c)`` is
    a + b·c, as shown), ``\underbrace{X}_{…}`` and ``\overbrace{X}^{…}`` (are X), ``\displaystyle``,
    ``\textstyle``, ``\nonumber``, ``\notag``, ``\label{…}``, ``\limits``, spaces ``\, \; \: \!
    ~``, and ``%`` comments. ``\text{const}``/``\mathrm{const}`` is the symbol ``const``;
    ``\mathrm{e}`` is e.

Bounds
    Brackets nest at most 64 deep, functions and big operators 24; literals have at most 1000
    digits. Input of 10,000 characters parses or fails in well under a second.
"""

from __future__ import annotations

from derive.doccheck.latex.parse import Row, Statement, parse_math
from derive.doccheck.latex.reader import UnhandledRuleError

__all__ = ["Row", "Statement", "UnhandledRuleError", "parse_math"]
