"""The official OpenAI Python SDK, a client nobody here wrote, talking to `parley serve`.

Usage: openai_sdk_client.py BASE_URL MODEL TOKEN MODE
MODE is one of:
  stream     a streamed completion with include_usage: the deltas as the SDK parsed them
  whole      a completion in one piece: the message as the SDK parsed it
  failure    a streamed completion expected to fail: the exception the SDK raised
Prints one JSON object on stdout.
"""

import json
import sys

import openai

base_url, model, token, mode = sys.argv[1:5]
client = openai.OpenAI(base_url=base_url, api_key=token, max_retries=0)
messages = [{"role": "user", "content": "Say hello"}]


def extra(value, name):
    """A field the SDK's types do not declare (reasoning_content) is kept in model_extra."""
    return getattr(value, name, None) or (value.model_extra or {}).get(name)


if mode == "stream":
    texts, reasoning, calls, finish, usage = [], [], {}, None, None
    stream = client.chat.completions.create(
        model=model, messages=messages, stream=True, stream_options={"include_usage": True}
    )
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage.model_dump()
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content:
                texts.append(delta.content)
            if extra(delta, "reasoning_content"):
                reasoning.append(extra(delta, "reasoning_content"))
            for call in delta.tool_calls or []:
                entry = calls.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
                entry["id"] = call.id or entry["id"]
                entry["name"] += (call.function and call.function.name) or ""
                entry["arguments"] += (call.function and call.function.arguments) or ""
            finish = choice.finish_reason or finish
    result = {
        "texts": texts,
        "reasoning": "".join(reasoning),
        "tool_calls": [calls[index] for index in sorted(calls)],
        "finish_reason": finish,
        "usage": usage,
    }
elif mode == "whole":
    completion = client.chat.completions.create(model=model, messages=messages)
    message = completion.choices[0].message
    result = {
        "content": message.content,
        "reasoning": extra(message, "reasoning_content"),
        "tool_calls": [
            {"id": call.id, "name": call.function.name, "arguments": call.function.arguments}
            for call in message.tool_calls or []
        ],
        "finish_reason": completion.choices[0].finish_reason,
        "usage": completion.usage.model_dump(),
    }
else:
    texts = []
    try:
        for chunk in client.chat.completions.create(model=model, messages=messages, stream=True):
            texts.extend(choice.delta.content for choice in chunk.choices if choice.delta.content)
        result = {"raised": None, "texts": texts}
    except openai.APIStatusError as error:
        result = {"raised": type(error).__name__, "status": error.status_code, "texts": texts}
    except openai.APIError as error:
        result = {"raised": type(error).__name__, "message": error.message, "texts": texts}

print(json.dumps(result))
