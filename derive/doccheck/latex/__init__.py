r"""A strict reader of the LaTeX that derivations are written in, giving SymPy through a notation.

``parse_math`` reads the body of one block of math (a ```` ```math ```` fence, ``$$ … $$``, inline
``$ … $``) into rows of statements. It never guesses. What it does not know is a ``ParseError`` with
the file, line, column and the offending text. What reads two ways, or reads one way but nothing here
decides it, is read as an ``objects.Opaque`` part that names it ("an integral", "an expectation over
q", "a prime, x': a transpose, a derivative or another name"): check-doc reports a statement holding
one "not checked: <what>", never refuted.

How it works, one module per stage: ``scanner`` turns characters into tokens (with the tables of
``vocabulary``, on the text kept by ``source``); ``constructs`` rewrites the tokens of each
construct, one pass each; ``rows`` splits environments into rows and decides what separates
statements; ``lexer`` runs them in order; ``grammar`` parses each row by the LALR grammar in
``latex.lark`` (built once per process, never loaded from a file); ``reader`` reads the tree into
SymPy; ``parse`` joins them into ``parse_math``.

Structure
    ``aligned``, ``align``, ``align*``, ``split``, ``gathered``, ``gather``, ``gather*`` (in
    ``equation`` or not) split on ``\\`` into rows; so does ``\\`` without an environment, as MathJax
    shows it. ``&`` number 1, 3, 5 … aligns, ``&`` number 2, 4 … separates columns. A row that starts
    with ``&+``, ``&-`` … goes on with the previous row's expression; one that starts with a relation
    (``&= …``, also a block that starts with ``=``) goes on with its chain. Statements in a row are
    separated by a top-level ``,`` or ``;``, ``\quad`` between two statements, a column ``&``, words
    (``\text{where}``, ``\text{ that predicts }``, ``\therefore``, ``\because``, ``\Rightarrow``, ``\&``,
    arrows); a statement beside words may only be mentioned (an expression), other rows of several
    statements must state a relation in each. A row that starts with ``\text{Let}``, ``\because`` …
    is set aside from a chain (``Row.aside``). ``(a = b)`` or ``(x \sim \mathcal{N}(0, I))`` at the end
    of a row is a statement aside; ``(\text{…})`` there a comment; ``\text{label}:`` before a statement
    is dropped. ``t = 1, \dots, T`` is ``t \in \{1, \dots, T\}``. ``\tag{71}`` and a last ``(71)`` set
    ``Row.tag``. A matrix or ``cases`` inside a formula is one opaque part.

Names
    A letter, a Greek macro (or its Unicode letter), ``\mathcal{L}``, ``\text{word}`` (a name when it is
    one ASCII word); accents ``\bar``, ``\tilde``, ``\hat`` (and their wide forms); ``\mathbf``,
    ``\boldsymbol``, ``\bm`` are dropped (vectors are read per coordinate); ``\mathrm{I}`` is ``I``. A
    subscript is an index expression (integers, letters, Greek, ``\text{…}``, ``+``, ``-``, brackets;
    ``x_{1:T}`` names x_1 to x_T together); any other subscript is a label kept as written
    (``L_{VLB}``, ``\mathcal{L}_{x_0}``). ``\sqrt{\alpha}_t`` is ``\sqrt{\alpha_t}``. ``\pi`` is π,
    ``e^{…}`` the exponential, a lone ``e`` opaque. ``I`` is the identity, 1 per coordinate. A
    sequence of the notation alone (``\alpha`` without subscript) is refused.

Numbers
    Integers and decimals (exactly: ``0.02`` is 1/50). A number may only start a juxtaposition. A
    one-token argument is one digit, as in TeX: ``\frac12`` is 1/2, ``x^23`` is refused.

Application or multiplication: a name directly followed by ``( … )``
    * with a conditional bar (``|``, ``\mid``, ``\vert``, ``\middle|``, ``∣``, or a ``\|`` that closes
      no norm) inside: a density, ``q(x_t|x_{t-1})``; ``q(x | y, z = a)`` gives a value to a condition;
      a name the notation marks as a density (or whose base it marks, ``q_\phi``) needs no bar, and so
      does a name written with a bar elsewhere in the block (``p(x, z)`` is then a joint density);
    * with parameters after ``;``: a function of all of them, a density of them opaque;
    * a name the notation does not know, even by its base: a function, ``f(x)``,
      ``\mathcal{L}(\theta)``, ``C(x_t, x_0)``, ``C'(x_t, x_0)``;
    * a quantity of the notation: a product, ``\beta_t(1 - \bar{\alpha}_{t-1})``.
    ``\mathcal{N}(z; m, v)`` (also ``N(z; m, v)``, ``\mathcal{N}(z | m, v)``) is ``Gaussian(z, m, v)``
    for a variance ``v`` or ``v I``; a covariance matrix ``\Sigma`` makes it opaque. ``\mathcal{N}(m, v)``
    without the variable is the distribution: ``q(x | y) = \mathcal{N}(m, v)`` (or ``\sim``) gives the
    density of x; ``x \sim \mathcal{N}(m, v)`` states a distribution; anywhere else it is opaque. A
    variable equal to its own density (``x_t = q(x_t | x_{t-1})``) is drawn from it: ``\sim``.

Functions and operators
    ``\log``, ``\ln``, ``\exp``, ``\cos``, ``\sin``, ``\tan`` (and hyperbolic) take a bracketed
    argument (also ``\exp{…}``) or one factor; nothing may follow an unbracketed argument, and
    ``\log a \cdot b`` (log(ab) or (log a) b: authors write both) is opaque, as is ``\exp a \cdot b``;
    ``\sin x \cdot y`` is (sin x) y.
    ``\det``, traces, ``\mathrm{Var}`` are opaque; ``\max(a, b)`` is ``Max``; ``\max_\theta``,
    ``\arg\min_x``, ``\min L`` are opaque optima. ``\sum_{i=1}^{t}``, ``\prod_{i=1}^{t}`` and
    ``\lim_{v \to a}`` take the rest of the product and stay unevaluated; over terms of a name the
    notation has no sequence for (``\prod_t q(x_t | x_{t-1})``), or over a condition (``\sum_{t>1}``),
    they are opaque. ``\int`` (``\iint``) takes the rest of the product up to its ``dx`` (several:
    ``dx\, dz``) and is opaque. ``\dots`` standing for terms is opaque. ``\frac``, ``\dfrac``, ``\tfrac``,
    ``\sqrt``, ``\sqrt[n]``, ``\cdot``, ``\times``, ``*``, ``\odot`` (per coordinate), ``\div`` and one
    ``a/b``. ``x^\top`` (``\intercal``, or ``^T`` of a bold name) is a transpose, per coordinate the
    vector itself; ``^T`` of anything else reads two ways and is opaque; so is every prime.
    ``\langle a, b \rangle`` is the inner product, per coordinate ``a b``. ``\cancel{x}``,
    ``\boxed{x}`` are ``x``; ``\cancelto{v}{x}`` is opaque.

Derivatives, expectations, divergences
    ``\nabla_{x} E``, ``\frac{\partial}{\partial x} E`` and ``\frac{d}{dx} E`` are ``Derivative(E, x)``
    of the rest of the product; ``\frac{\partial E}{\partial x}``, ``\frac{dE}{dx}`` are one factor.
    ``\mathbb{E}_{x \sim \mathcal{N}(m, v)}[f]`` is ``Expectation(f, x, m, v)``; an expectation with
    any other subscript (kept as written: ``\mathbb{E}_{q(x_{1:T}|x_0)}``, ``\mathbb{E}_{t, x_0,
    \epsilon}``), none, a plain ``E[…]``, or without brackets (then of the rest of the product) is
    opaque. ``D_{\mathrm{KL}}(p \| q)`` (also ``D_{KL}``, ``\mathrm{KL}``, ``KL``, with ``\|``, ``||``
    or ``\middle\|``) is ``KL(p, q)`` of two densities (``p(x)`` counts as one) or Gaussians; of a
    distribution without variable, or of bare names, it is opaque.

Brackets
    ``( )``, ``[ ]``, ``\{ \}``, ``\langle \rangle``, with ``\left``/``\right`` (``\right\lVert`` closes)
    or ``\big`` … ``\Bigg`` sizes. ``|v|`` is ``Abs``, ``\|v\|`` (``\|v\|_2``) is ``Norm``. A ``|``
    closes an open ``|`` after an operand, is a conditional bar inside ``( )`` after an operand, and
    otherwise opens an absolute value. Braces ``{a+b}`` next to anything else are refused as
    ambiguous. ``(x_0, x_1, \dots, x_T)`` is an opaque tuple; ``\{\beta_t\}_{t=1}^T`` an opaque sequence.

Relations and sets
    ``=``, ``\propto``, ``\approx``, ``\in``, ``\neq``, ``\leq``, ``\geq``, ``<``, ``>``, ``\sim``,
    ``:=`` (also ``\coloneqq``, ``\triangleq``, ``\equiv``, ``\overset{\text{def}}{=}``) and ``=:``
    (named "=", "propto", "approx", "in", "ne", "le", "ge", "lt", "gt", "sim", ":=", "=:"); a note over
    a relation (``\overset{(a)}{=}``) is dropped. After ``\in``: an interval, ``\mathbb{R}`` (also
    ``\mathbb{R}^d``), ``\mathbb{Z}``, ``\mathbb{C}``, a range ``\{1, \dots, T\}``. After ``\sim`` the
    item is the pair ``(m, v)`` of a normal distribution, or what is written.

Invisible
    ``\color``, ``\textcolor`` (their braces may cross brackets), ``\underbrace{X}_{…}``,
    ``\overbrace{X}^{…}``, ``\displaystyle``, ``\nonumber``, ``\label``, ``\limits``, spaces (``\,``,
    ``\;``, ``\ ``, a backslash before a line break, ``\space``), and ``%`` comments.

Bounds
    Brackets nest at most 64 deep, functions and big operators 24; literals have at most 1000
    digits. Input of 10,000 characters parses or fails in well under a second.
"""

from __future__ import annotations

from derive.doccheck.latex.parse import Row, Statement, parse_math
from derive.doccheck.latex.reader import UnhandledRuleError

__all__ = ["Row", "Statement", "UnhandledRuleError", "parse_math"]
