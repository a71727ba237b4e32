"""The API around chat: catalogue, providers, generations, the key, credits, embeddings.

Each endpoint is one async implementation (run on the private loop, through the same
`Sender` and retries as chat) with two thin faces: ``name()`` waits for it, ``aname()``
awaits it from any event loop. The catalogue (every output modality: chat, image and
embedding models) is cached per client for an hour.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import difflib
import time
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from ..errors import BadRequestError, InvalidParameterError, NotFoundError, OpenRouterError
from ..protocol import DEFAULT_EMBEDDING_MODEL
from . import loop
from .catalogue import Model, search_models
from .config import Settings
from .embeddings import Embeddings, embed_all
from .estimate import needs_settling, usage_from_generation
from .response import Response
from .send import Sender
from .shapes import as_dict, as_list
from .validate import check_model

__all__ = ["MODELS_TTL", "SETTLE_WAIT", "Embeddings", "Endpoints"]

T = TypeVar("T")
MODELS_TTL = 3600.0
#: Seconds to keep asking /generation for a stopped answer (404 for a moment after it).
SETTLE_WAIT = 10.0
_settling: asyncio.Semaphore | None = None  # created on the private loop, used only there


class Endpoints:
    """Mixed into `Client`; needs ``settings`` and ``sender``."""

    settings: Settings
    sender: Sender
    _models_cache: tuple[float, list[Model]] | None = None

    def _sync(self, coro: Coroutine[Any, Any, T], *, key: bool = False) -> T:
        if key:
            self._key_for(coro)
        return loop.run_sync(coro)

    async def _async(self, coro: Coroutine[Any, Any, T], *, key: bool = False) -> T:
        if key:
            self._key_for(coro)
        return await loop.run_async(coro)

    def _key_for(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            self.settings.ensure_key()
        except BaseException:
            coro.close()
            raise

    # -- implementations (on the private loop) ----------------------------------------------

    async def _catalogue(self, refresh: bool) -> list[Model]:
        cached = self._models_cache
        if refresh or cached is None or time.monotonic() - cached[0] > MODELS_TTL:
            data = await self.sender.request_json("GET", "/models",
                                                  params={"output_modalities": "all"})
            rows = as_list(data, "the model list")
            models = [model for model in map(Model.from_dict, (m for m in rows
                                                                if isinstance(m, dict)))
                      if model.id]
            cached = self._models_cache = (time.monotonic(), models)
        return list(cached[1])

    async def _models(self, search: str | None, refresh: bool, output: str | Sequence[str] | None,
                      filters: dict[str, Any]) -> list[Model]:
        wanted = [output] if isinstance(output, str) else list(output or ())
        if "all" in wanted:
            wanted = []
        return search_models(await self._catalogue(refresh), search,
                             output_modalities=wanted, **filters)

    async def _model_info(self, model_id: str) -> Model:
        model_id = check_model(model_id, "model_id", openrouter=False)
        base = model_id.split(":", 1)[0]
        models = await self._catalogue(False)
        for wanted in (model_id, base):  # ":free" is a model of its own; ":nitro" is not
            for model in models:
                if model.id == wanted:
                    return model
        close = difflib.get_close_matches(base, [m.id for m in models], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else " (see %openrouter models)"
        raise NotFoundError(f"no model {model_id!r} in the catalogue{hint}")

    async def _endpoints(self, model_id: str) -> dict[str, Any]:
        model_id = check_model(model_id, "model_id", openrouter=False)
        path = f"/models/{quote(model_id.split(':', 1)[0], safe='/')}/endpoints"
        data: dict[str, Any] = await self.sender.request_json("GET", path)
        return data

    async def _generation(self, generation_id: str, wait: float) -> dict[str, Any]:
        if not isinstance(generation_id, str) or not generation_id:
            raise InvalidParameterError("generation_id", "give the id of an answer, such as "
                                                         "Response.id ('gen-…')")
        deadline = time.monotonic() + wait
        while True:
            try:
                data: dict[str, Any] = await self.sender.request_json(
                    "GET", "/generation", params={"id": generation_id})
                return data
            except NotFoundError:
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.25)

    async def _get(self, path: str, auth: bool = True) -> Any:
        return await self.sender.request_json("GET", path, auth=auth)

    async def _embeddings(self, input: Any, model: str, batch_size: int,
                          params: dict[str, Any]) -> Any:
        model = check_model(model, openrouter=False)

        async def post(body: dict[str, Any]) -> Any:
            data = await self.sender.request_json("POST", "/embeddings", json=body, raw=True)
            return as_dict(data, "the embeddings answer")

        return await embed_all(post, input, model, batch_size, params)

    # -- faces ------------------------------------------------------------------------------

    def models(self, search: str | None = None, *, refresh: bool = False,
               output: str | Sequence[str] | None = "text", **filters: Any) -> list[Model]:
        """The model catalogue, fetched once per client (``refresh=True`` fetches again).

        ``search`` words must all appear in a model's id, name or description; ``output``:
        what the models make, "text" (chat models, the default), "image", "embeddings", or
        "all"; filters: ``author``, ``input_modalities``, ``supports``, ``min_context``,
        ``max_price`` (USD per million prompt tokens), ``free``.
        """
        return self._sync(self._models(search, refresh, output, filters))

    async def amodels(self, search: str | None = None, *, refresh: bool = False,
                      output: str | Sequence[str] | None = "text",
                      **filters: Any) -> list[Model]:
        return await self._async(self._models(search, refresh, output, filters))

    def _known_model(self, model_id: str) -> Model | None:
        """From the cached catalogue only (the private loop cannot wait on itself)."""
        cached = self._models_cache
        if cached is None:
            return None
        base = model_id.split(":", 1)[0]
        by_id = {m.id: m for m in cached[1]}
        return by_id.get(model_id) or by_id.get(base)

    def model_info(self, model_id: str) -> Model:
        """One model of the catalogue; `NotFoundError` names the closest ids."""
        return self._sync(self._model_info(model_id))

    async def amodel_info(self, model_id: str) -> Model:
        return await self._async(self._model_info(model_id))

    def with_model_hint(self, error: OpenRouterError, model: str | None) -> OpenRouterError:
        """OpenRouter's 400 for an id it does not know ("x is not a valid model ID"), with
        the catalogue's closest ids: a typo gets its fix, as ``%openrouter use`` does."""
        if not (isinstance(error, BadRequestError) and model and self.settings.openrouter
                and "not a valid model id" in error.message.lower()):
            return error
        try:
            self.model_info(model)
        except NotFoundError as missing:
            hint = missing.message.partition(" in the catalogue")[2]  # "; did you mean …?"
            if hint and hint not in error.message:
                error.message += hint
        except OpenRouterError:
            pass  # no catalogue either: the server's line stands
        return error

    def endpoints(self, model_id: str) -> dict[str, Any]:
        """A model's providers, with their prices, latency, throughput and uptime."""
        return self._sync(self._endpoints(model_id), key=True)

    async def aendpoints(self, model_id: str) -> dict[str, Any]:
        return await self._async(self._endpoints(model_id), key=True)

    def generation(self, generation_id: str, *, wait: float = 3.0) -> dict[str, Any]:
        """Stats of one generation; waits up to ``wait`` s, as they appear a moment late."""
        return self._sync(self._generation(generation_id, wait), key=True)

    async def ageneration(self, generation_id: str, *, wait: float = 3.0) -> dict[str, Any]:
        return await self._async(self._generation(generation_id, wait), key=True)

    def settle_usage(self, response: Response,
                     wait: float = SETTLE_WAIT) -> concurrent.futures.Future[bool] | None:
        """Ask /generation for the billed usage of an answer stopped before its usage came
        (it counted what arrived, ≈); it replaces the estimate in ``response.usage``. A
        future of whether it did; None when there is nothing to ask (not OpenRouter's)."""
        if not needs_settling(response, self.settings.openrouter):
            return None
        gen_id = response.id or ""

        async def settle() -> bool:
            global _settling
            _settling = _settling or asyncio.Semaphore(1)  # one at a time: one connection
            try:
                async with _settling:
                    usage = usage_from_generation(await self._generation(gen_id, wait))
            except OpenRouterError:
                return False  # not there in time: the estimate stays, marked ≈
            if usage is None:
                return False
            response.usage = usage
            return True

        return loop.submit(settle())

    def key_info(self) -> dict[str, Any]:
        """Limit, usage and tier of the key in use (OpenRouter masks its label)."""
        return self._sync(self._get("/key"), key=True)

    async def akey_info(self) -> dict[str, Any]:
        return await self._async(self._get("/key"), key=True)

    def credits(self) -> dict[str, Any]:
        """``total_credits`` and ``total_usage`` in USD."""
        return self._sync(self._get("/credits"), key=True)

    async def acredits(self) -> dict[str, Any]:
        return await self._async(self._get("/credits"), key=True)

    def providers(self) -> list[dict[str, Any]]:
        """Every provider OpenRouter routes to (no key needed)."""
        return self._sync(self._get("/providers", auth=False))

    async def aproviders(self) -> list[dict[str, Any]]:
        return await self._async(self._get("/providers", auth=False))

    def embeddings(self, input: Any, *, model: str = DEFAULT_EMBEDDING_MODEL,
                   batch_size: int = 128, **params: Any) -> Any:
        """Vectors for one text or many (a list, a Series), one row per text in input order:
        a NumPy array when NumPy is installed, else `Embeddings` (a list of lists); both
        carry ``.model`` and ``.usage`` and a short repr. Long inputs go in batches of
        ``batch_size`` texts, a few at once. ``dimensions=`` shortens the vectors where the
        model allows it."""
        return self._sync(self._embeddings(input, model, batch_size, params), key=True)

    async def aembeddings(self, input: Any, *, model: str = DEFAULT_EMBEDDING_MODEL,
                          batch_size: int = 128, **params: Any) -> Any:
        return await self._async(self._embeddings(input, model, batch_size, params), key=True)
