import Foundation
import ParleyProviders

extension ProviderChoice {
    /// Where a conversation made with this choice goes on talking: its base URL, without a user
    /// name or password written into it (keys never reach the database); nil for the demo.
    var savedBaseURL: String? {
        guard !endpoint.baseURL.isEmpty else { return nil }
        guard var parts = URLComponents(string: endpoint.baseURL), parts.user != nil || parts.password != nil else {
            return endpoint.baseURL
        }
        parts.user = nil
        parts.password = nil
        return parts.string ?? endpoint.baseURL
    }
}
