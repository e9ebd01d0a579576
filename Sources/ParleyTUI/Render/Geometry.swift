public struct Size: Equatable, Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// What a box drawn on this rectangle holds: all but its border.
    var inside: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

    func contains(_ position: Frame.Position) -> Bool {
        (x..<maxX).contains(position.column) && (y..<maxY).contains(position.row)
    }
}
