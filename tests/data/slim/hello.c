#include <math.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	volatile double x = argc > 1 ? 16.0 : 4.0;
	printf("hello %g %s\n", sqrt(x), argc > 1 ? argv[1] : "");
	return 0;
}
