package io.mister.app.evaluation;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws a confusion matrix as a PNG (headless AWT): rows gold, columns predicted, each cell shaded
 * by its share of the row (recall), with the count written in it.
 */
public final class ConfusionMatrixImage {

    private static final int CELL = 64;
    private static final int MARGIN = 110;

    private ConfusionMatrixImage() {}

    public static void write(ClassificationReport report, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = report.labels();
        long[][] matrix = report.confusion();
        int n = labels.size();
        int width = MARGIN + n * CELL + 20;
        int height = MARGIN + n * CELL + 40;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 10, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("predicted \u2192", MARGIN, 40);
            g.drawString("gold \u2193", 10, MARGIN - 8);
            for (int c = 0; c < n; c++) {
                g.drawString(abbreviate(labels.get(c)), MARGIN + c * CELL + 4, MARGIN - 8);
            }
            for (int r = 0; r < n; r++) {
                long support = report.support(r);
                g.setColor(Color.BLACK);
                g.drawString(abbreviate(labels.get(r)), 10, MARGIN + r * CELL + CELL / 2 + 5);
                for (int c = 0; c < n; c++) {
                    double share = support == 0 ? 0 : (double) matrix[r][c] / support;
                    int shade = (int) Math.round(255 * (1 - share));
                    g.setColor(new Color(shade, shade, 255));
                    g.fillRect(MARGIN + c * CELL, MARGIN + r * CELL, CELL, CELL);
                    g.setColor(Color.GRAY);
                    g.drawRect(MARGIN + c * CELL, MARGIN + r * CELL, CELL, CELL);
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    String count = Long.toString(matrix[r][c]);
                    FontMetrics fm = g.getFontMetrics();
                    g.drawString(count, MARGIN + c * CELL + (CELL - fm.stringWidth(count)) / 2, MARGIN + r * CELL + CELL / 2 + 5);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(String.format("weighted F1 %.2f  accuracy %.2f  macro F1 %.2f  (%d turns)",
                    report.weightedF1(), report.accuracy(), report.macroF1(), report.count()), 10, height - 12);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static String abbreviate(String label) {
        return label.length() > 9 ? label.substring(0, 9) : label;
    }
}
