/* Renders text as a QR code into a PGM image with libqrencode: what a printer does with the
 * ticket's GS ( k bytes, for an independent reader (zbarimg) to decode in the tests.
 * usage: qr_pgm TEXT OUT.pgm */
#include <qrencode.h>
#include <stdio.h>

#define S_SCALE 8 /* pixels a module */
#define S_QUIET 4 /* modules of white around it */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: qr_pgm TEXT OUT.pgm\n");
        return 2;
    }
    QRcode *qr = QRcode_encodeString(argv[1], 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        perror("qr_pgm: QRcode_encodeString");
        return 1;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f) {
        perror(argv[2]);
        QRcode_free(qr);
        return 1;
    }
    int side = (qr->width + 2 * S_QUIET) * S_SCALE;
    fprintf(f, "P5\n%d %d\n255\n", side, side);
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            int mx = x / S_SCALE - S_QUIET, my = y / S_SCALE - S_QUIET;
            int dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
                       (qr->data[my * qr->width + mx] & 1);
            fputc(dark ? 0 : 255, f);
        }
    int rc = fclose(f) == 0 ? 0 : 1;
    QRcode_free(qr);
    return rc;
}
