/// The stream's framing itself is broken: no provider JSON can be read from it.
public struct FramingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String

    /// Lines and events are held in memory until they end, so their size is capped.
    public static let maxFrameBytes = 1 << 20

    static let tooLong = FramingError(
        description: "a line or event of the stream is longer than 1 MiB")
}
