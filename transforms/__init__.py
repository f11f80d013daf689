"""SQL model runner: ``.sql`` models -> tables, in dependency order, on DuckDB or PostgreSQL.

Usage::

    graph = ModelGraph.load("transforms/models/shared", "transforms/models/products")
    results = run_models(conn, graph, params={"article_filter": "a.blocked = false"})

Writing a model (``transforms/models/<flow>/<name>.sql``)
-----------------------------------------------------------
* One SELECT per file, CTE-first, lower-case; the file stem is the model (and table) name.
  Layers by prefix: ``stg_`` (clean one source), ``int_`` (combine), final (``desired_``, ...).
* Sources are schema-qualified: ``staging.<table>``, ``settings.<table>``. Other models are
  referenced by bare name (``from int_articles``) or as ``transforms.<name>``; the runner
  rewrites both to the target schema. An unqualified name that is not a model is an error.
* Placeholders for the data mapper: ``{{ name }}`` / ``{{ name | default: 'sql expr' }}``
  (see :mod:`transforms.expressions`). They stand for one expression, never for names.

Portability (models are DuckDB SQL; sqlglot transpiles them to PostgreSQL)
---------------------------------------------------------------------------
Loading a model fails, naming the file, when it does not parse as DuckDB SQL or when
sqlglot cannot transpile it or :func:`transforms.sql.portability_issues` finds something.

Fine on both: ``x::type``, ``cast``, ``ifnull``/``coalesce``, ``nullif``, ``||``, ``concat``,
``concat_ws``, ``trim``/``lpad``/``left``/``right``/``substring``/``replace``/``split_part``,
``strpos``, ``upper``/``lower``, ``regexp_replace``, ``regexp_matches`` (-> ``~``), ``like``/``ilike``,
``md5``, ``round``/``abs``/``floor``/``ceil``, ``greatest``/``least``, ``case``/``if``,
``string_agg``, ``bool_or``/``bool_and``, ``count``/``sum``/``min``/``max``, ``filter (where)``,
window functions, ``qualify``, ``distinct on``, ``date_trunc`` on timestamps, ``extract``,
``year``/``month``/``day``, ``date_diff``, ``+ interval``, ``strftime``, ``last_day``,
``exists``/``in`` subqueries, ``lateral``, ``with recursive``, ``union``/``except``/``intersect``.

Avoid (rejected at load): ``try_cast``, ``arg_max``/``max_by``, ``make_date``, ``ends_with``,
``contains``, ``format``/``printf``, ``sha256``, ``string_split``, ``dayofweek``/``week``/
``quarter`` (use ``extract``), ``mode``, ``median``, ``first``/``last``, ``regexp_extract``,
``typeof``, structs/maps/lambdas, ``hugeint``/unsigned types, ``strptime``/``epoch_ms``/
``to_timestamp`` (timestamptz on PostgreSQL), ``similar to``, ``glob``, ``group by all``,
``order by all``, ``* exclude``/``replace``, ``union by name``, asof/positional joins,
``using sample``, ``pivot``, table functions such as ``read_csv``, and any function sqlglot
does not know (``strip_accents``, ``hash``, ...) except ``now``, ``age``, ``row``.

Not caught, so mind them: write lower-case unquoted identifiers (PostgreSQL folds case);
``date_trunc`` on a *date* gives timestamptz on PostgreSQL (cast the result to date);
``extract``/``year``/... and ``//`` give numeric on PostgreSQL (``cast(extract(year from d) as int)``);
array subscripts on function results (``array_agg(x)[1]``) do not parse in PostgreSQL.

Money and decimals
------------------
Keep money ``decimal(18, 4)``: ``cast(x as decimal(18, 4))``, never ``double``. ``+ - *`` and
``sum``/``min``/``max``/``round`` stay decimal on both engines. ``/`` and ``avg`` give DOUBLE in
DuckDB (and sqlglot adds ``cast(... as double precision)`` for PostgreSQL to match), so cast
their result back: ``cast(price * 100 / (100 + vat) as decimal(18, 4))``; prefer multiplying by
a decimal literal (``price * 1.21``), which is exact. The runner itself never reads data into
Python, so nothing is converted to float on the way.
"""

from transforms.errors import (
    CycleError,
    ModelError,
    ModelLoadError,
    ParameterError,
    SqlError,
    TransformError,
)
from transforms.expressions import (
    find_placeholders,
    placeholder_defaults,
    render,
    render_query,
    validate_expression,
)
from transforms.graph import Model, ModelGraph
from transforms.runner import ModelResult, compile_model, run_models
from transforms.sql import (
    MODEL_SCHEMA,
    parse_select,
    portability_issues,
    qualify,
    table_references,
    transpile,
)

__all__ = [
    "MODEL_SCHEMA",
    "CycleError",
    "Model",
    "ModelError",
    "ModelGraph",
    "ModelLoadError",
    "ModelResult",
    "ParameterError",
    "SqlError",
    "TransformError",
    "compile_model",
    "find_placeholders",
    "parse_select",
    "placeholder_defaults",
    "portability_issues",
    "qualify",
    "render",
    "render_query",
    "run_models",
    "table_references",
    "transpile",
    "validate_expression",
]
