import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models a provider offers.",
        discussion: """
            Asks the provider's models endpoint (OpenAI-compatible GET /models, Anthropic GET \
            /v1/models, Gemini GET /v1beta/models, Ollama GET /api/tags) with the same key, base URL \
            and headers a reply would use, and prints one model name per line, sorted. The demo \
            lists "demo".

            Exit codes: 0 done, 1 the provider or network failed, 2 usage error.
            """)

    @Option(help: "The provider: \(ProviderNames.list). Default: the config file's, else the offline demo.")
    var provider: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL (overrides its *_BASE_URL variable).")
    var baseURL: String?

    func run() async throws {
        let environment = ProcessEnvironment.variables
        let settings = try AppConfiguration.loadForCommand(environment: environment)
        let choice = try await settings.unlocked(
            try settings.provider(provider, model: nil, baseURL: baseURL, environment: environment))
        let models: [String]
        do {
            models = try await ModelCatalog.models(of: choice, timeout: settings.timeouts.firstByte).models
        } catch {
            throw CommandFailure.failed(error.message + AskPrinter.nextStep(for: error))
        }
        guard !models.isEmpty else {
            Console.error("\(choice.preset.displayName) lists no models.\n")
            return
        }
        Console.output(models.map { $0 + "\n" }.joined())
    }
}
