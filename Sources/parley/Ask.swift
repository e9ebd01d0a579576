import ArgumentParser
import Foundation
import ParleyCore
import ParleyProviders

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream one reply to standard output.",
        discussion: """
            The prompt is the words after `ask`, or standard input when there are none. The reply \
            streams to stdout as it arrives; with --thinking the model's reasoning streams to stderr; \
            a footer with model, usage and speed ends on stderr. Ctrl-C stops the reply at once and \
            keeps what arrived (exit 130).

            --events prints one JSON object per line instead: start, text, thinking, tool_call, \
            usage, error, stop (exactly once), then metrics.

            Exit codes: 0 done, 1 the provider or network failed, 2 usage error, 130 interrupted.
            """)

    @Argument(help: "What to ask. Read from standard input when omitted.")
    var prompt: [String] = []

    @Option(help: "The provider: \(ProviderNames.list). Default: the offline demo.")
    var provider: String?

    @Option(help: "The model. Default: the provider's usual model.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL (overrides its *_BASE_URL variable).")
    var baseURL: String?

    @Option(help: "A system prompt.")
    var system: String?

    @Option(name: .customLong("max-tokens"), help: "The most tokens the reply may have.")
    var maxTokens: Int?

    @Option(help: "Sampling temperature, 0 to 2.")
    var temperature: Double?

    @Flag(help: "Also stream the model's reasoning, to stderr.")
    var thinking = false

    @Flag(help: "Print JSON lines (one per event) instead of text.")
    var events = false

    func validate() throws {
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1.") }
        if let temperature, !(0...2).contains(temperature) {
            throw ValidationError("--temperature must be between 0 and 2.")
        }
    }

    func run() async throws {
        let question = try readPrompt()
        let choice: ProviderChoice
        do {
            choice = try ProviderChoice.resolve(
                provider: provider, model: model, baseURL: baseURL, environment: ProcessInfo.processInfo.environment)
        } catch .missingKey(let preset) {
            var printer = AskPrinter(
                mode: mode, provider: preset.name, providerDisplayName: preset.displayName,
                model: model ?? preset.defaultModel)
            let problem = ProviderChoice.Problem.missingKey(preset)
            printer.showFailureBeforeRequest(ProviderError(.auth, problem.description))
            throw ExitCode(printer.exitCode)
        } catch {
            throw UsageError(error.description)
        }

        let chat = ChatRequest(
            model: choice.model, messages: [ChatMessage(.user, question)], system: system,
            maxTokens: maxTokens, temperature: temperature)
        let reply = choice.startReply(chat)
        let interrupts = InterruptWatcher { reply.cancel() }
        var printer = AskPrinter(
            mode: mode, provider: choice.preset.name, providerDisplayName: choice.preset.displayName,
            model: choice.model)
        for await update in reply.updates { printer.show(update) }
        interrupts.stop()
        throw ExitCode(printer.exitCode)
    }

    private var mode: AskPrinter.Mode { events ? .events : .plain(showThinking: thinking) }

    private func readPrompt() throws -> String {
        if !prompt.isEmpty { return prompt.joined(separator: " ") }
        guard isatty(STDIN_FILENO) == 0 else {
            throw UsageError("give a prompt: `parley ask \"…\"`, or pipe one on standard input.")
        }
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        guard !text.allSatisfy(\.isWhitespace) else { throw UsageError("the prompt on standard input is empty.") }
        return text
    }
}
