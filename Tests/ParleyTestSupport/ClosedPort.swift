#if canImport(Glibc)
    import Glibc
#endif

/// A port on 127.0.0.1 where a connection is refused at once, kept so until `close()`.
///
/// A server started and shut down again leaves a port nothing listens on only until another
/// server (a test running alongside) is given the same port: then a connection meant to be
/// refused reaches that server instead (it happened, in CI). This holds the port bound, without
/// listening, so the kernel refuses every connection and gives the port to nobody else.
public final class ClosedPort: Sendable {
    public let port: Int
    /// "http://127.0.0.1:PORT", no trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let socket: Int32

    public init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else {
            let error = errno
            Glibc.close(socket)
            throw Failure.socket(error)
        }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Lets the port go.
    public func close() {
        Glibc.close(socket)
    }

    public enum Failure: Error {
        case socket(Int32)
    }
}
