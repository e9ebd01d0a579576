/// The documented example config, as `Resources/config.example.toml` holds it (a test keeps the
/// two identical): `parley config edit` starts a new file from it.
public enum ConfigExample {
    /// What `parley config edit` starts a new file with: the example with every setting commented
    /// out, so that the new file changes nothing until a line is uncommented.
    public static var startingFile: String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.isEmpty || line.hasPrefix("#") ? String(line) : "# " + line
        }
        return "# Every setting here is commented out, so this file changes nothing until you uncomment a line.\n#\n"
            + lines.joined(separator: "\n")
    }

    public static let text = #"""
        # Parley's config file: ~/.config/parley/config.toml ($XDG_CONFIG_HOME/parley/config.toml, or
        # $PARLEY_HOME/config.toml when PARLEY_HOME is set). `parley config edit` opens it and checks it
        # when the editor closes; `parley config show` prints what is in effect; `parley doctor` checks it.
        #
        # Every setting is optional: leave one out and Parley's default applies. Flags beat environment
        # variables, which beat this file, which beats the defaults. A mistake anywhere (a typo in a key,
        # a wrong type) stops Parley with its line and column, rather than running half-configured.

        # The provider and model new conversations use (default: a local server found at start-up, else
        # the offline demo; Ctrl-P in the app picks another). `--provider` and `--model` override them;
        # `model` here belongs to this `provider`.
        provider = "openai"
        model = "gpt-4o"

        # How much new conversations' models reason: "auto" (the default: only the thoughts of models that
        # reason anyway, nothing billed on top), "off", "low", "medium", "high", or a token budget such as
        # 8000. `--reasoning` overrides it; Ctrl-G in the app changes it per conversation.
        reasoning = "auto"

        # One section per provider: openai, openai-responses, anthropic, gemini, ollama, openrouter, xai,
        # deepseek, groq, mistral, lmstudio, llamacpp, vllm, or one of your own (below). Keys: base_url,
        # model, key_env, key_command, headers, context_tokens (and kind). A *_BASE_URL variable
        # (OPENAI_BASE_URL…) still beats base_url.
        [providers.openai]
        # The model when this provider is chosen without --model (and is not the one above).
        model = "gpt-4o-mini"
        # Read the key from this variable instead of OPENAI_API_KEY. Name the variable, never the key.
        key_env = "WORK_OPENAI_KEY"
        # When that variable is unset, run this command and use the first line it prints. It runs only
        # when a reply needs the key, and what it prints is never shown or saved.
        key_command = "pass show openai"

        [providers.openrouter]
        # Sent with every request to this provider.
        headers = { "HTTP-Referer" = "https://example.com/parley", "X-Title" = "Parley" }

        [providers.ollama]
        # Parley sets Ollama's context (num_ctx) on each request so the conversation fits, instead of
        # Ollama's small default that drops its start without a word; this caps it (memory grows with it).
        context_tokens = 32768

        [providers.llamacpp]
        # A local server on another port needs only its address (local servers need no key).
        base_url = "http://127.0.0.1:8081/v1"
        model = "qwen3-8b"

        # A provider of your own (a second OpenAI-compatible server, a company proxy): any other name,
        # with `kind`, the built-in provider whose API it speaks (openai for any OpenAI-compatible
        # server; anthropic, gemini, ollama, openrouter…). It is used as `--provider work` and offered in
        # the app's picker. Without base_url it is at its kind's address; without key_env or key_command
        # at an address of its own it is tried without a key; without model, the first its server lists.
        [providers.work]
        kind = "openai"
        base_url = "https://llm.example.com/v1"
        key_env = "WORK_LLM_KEY"
        model = "gpt-4o"

        # Named system prompts: `parley ask --preset reviewer "…"`, or Ctrl-O in the app.
        [presets.reviewer]
        system = "You review code. Point out bugs first, then risky changes, then style. Be brief."

        [presets.translator]
        system = "Translate the user's text into English. Reply with the translation only."

        # A preset may bring a reasoning setting too.
        [presets.thorough]
        system = "Think the problem through before you answer."
        reasoning = "high"

        # Seconds. connect: opening the connection; first_byte: from sending the request to the first
        # byte of the reply (a model list is waited for as long); idle: the longest silence once the
        # reply has begun; total: the longest a whole reply may take; key_command: the longest a
        # key_command may run before it is stopped.
        # Defaults: connect 10, first_byte 30, idle 60, no total limit, key_command 30.
        [timeouts]
        connect = 5
        first_byte = 45
        idle = 90
        total = 600
        key_command = 30

        # How often a streaming reply is handed on to be drawn or printed, in milliseconds (default 50),
        # and the most text a reply may bring, in megabytes (default 4, thirty times a very long
        # answer): past it the reply is stopped and says why, so a server that never stops cannot
        # fill the memory.
        [streaming]
        batch_window_ms = 50
        max_reply_mb = 4

        # The full-screen app. thinking_pane: whether the thinking pane starts shown. Set here, it is how
        # every start looks; left out, the app starts as the last Ctrl-T left it (default true).
        [app]
        thinking_pane = true
        # When a reply ends (or fails) in a conversation that is not on screen: "off" (the default: the
        # sidebar's mark only), "bell", or a desktop notification through the terminal: "osc9" (iTerm2,
        # WezTerm, kitty, foot…) or "osc777" (urxvt, some VTE terminals).
        notify = "off"
        # How copying (y, and copy mode's Enter) reaches the clipboard: "auto" (the default: a local
        # clipboard command, wl-copy, xclip, xsel or pbcopy, when one is found and the session is not
        # over SSH, else OSC 52 through the terminal, passed through tmux and screen), "osc52",
        # "command" or "off". clipboard_command names the command yourself; it gets the text on its input.
        clipboard = "auto"
        # clipboard_command = "xclip -selection clipboard"
        # Whether Parley takes the mouse (default false): the wheel scrolls the pane under the pointer, a
        # click opens a conversation in the list or focuses a pane. While it is on, selecting text needs
        # the terminal's own modifier (Shift in most terminals); off, the mouse is the terminal's.
        mouse = false

        # Colours per role: normal, muted, accent, user, heading, code, quote, thinking, error, warning,
        # success, border, focused-border, selection, placeholder, keyword, string, number, comment,
        # type-name, added, removed, hunk. The last eight colour code blocks. Colours: default (the
        # terminal's own), black, red, green, yellow, blue, magenta, cyan, white, and bright-red and the like.
        [theme]
        accent = "magenta"
        thinking = "bright-black"

        # Rebinding: command = [keys]. The keys given replace the command's usual ones. Key names look
        # like "ctrl-t", "alt-enter", "shift-tab", "f1", "pgup", "esc", "j". `F1` in the app lists every
        # command and its keys.
        [keys]
        toggle-thinking = ["ctrl-t", "f2"]
        regenerate = ["ctrl-r"]

        # MCP servers: programs and services whose tools a model may call (`parley tools` lists them and
        # their tools). A server Parley starts is a command with its args, found on Parley's PATH; env is
        # ALL the environment it gets: none of Parley's own variables (no API key, not even PATH) reach it
        # unless named here. trust: "ask" (the default: each call waits for your consent) or "always";
        # timeout: the seconds one call, or the server's start, may take (default 30); enabled = false
        # leaves a server out unless it is named (--tools NAME). Its stderr goes to parley.log.
        [mcp.servers.time]
        command = "mcp-server-time"
        args = ["--local-timezone", "UTC"]
        env = { TZ = "UTC" }
        trust = "ask"
        timeout = 30
        enabled = true

        # A server already running, reached over Streamable HTTP, with headers sent on every request.
        [mcp.servers.docs]
        url = "http://127.0.0.1:8000/mcp"
        headers = { Authorization = "Bearer …" }

        # Tool use: the most rounds one reply may take (default 10; past it the reply stops and says
        # so), and the most of one tool's output sent back to the model, in kilobytes (default 64;
        # longer output is cut, saying where).
        [tools]
        max_rounds = 10
        max_output_kb = 64

        # Files attached to a message (`parley ask -a FILE`, Ctrl-O in the app): the most one file
        # may be, and all of a message's files together, in megabytes (defaults 20 and 32, which fit
        # the providers' own limits).
        [attachments]
        max_file_mb = 20
        max_message_mb = 32

        """#
}
